<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR" sourcelanguage="en">
<context>
    <name>BatchLauncher</name>
    <message>
        <location filename="../../po_downloader/ui/batch_launcher.py" line="158"/>
        <source>Cannot start: {problems}</source>
        <translation>Não é possível iniciar: {problems}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/batch_launcher.py" line="187"/>
        <source>Stopped before the batch started: nothing was downloaded.</source>
        <translation>Parado antes de o lote começar: nada foi baixado.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/batch_launcher.py" line="202"/>
        <source>The Selenium Grid at {url} has no free browser slot: waiting up to {s} s…</source>
        <translation>O Selenium Grid em {url} não tem vaga livre de navegador: aguardando até {s} s…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/batch_launcher.py" line="233"/>
        <source>Could not start: {e}</source>
        <translation>Não foi possível iniciar: {e}</translation>
    </message>
</context>
<context>
    <name>BatchStats</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="81"/>
        <source>%n done</source>
        <translation>
            <numerusform>%n concluído</numerusform>
            <numerusform>%n concluídos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="82"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n com falha</numerusform>
            <numerusform>%n com falha</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="83"/>
        <source>%n left</source>
        <translation>
            <numerusform>%n restante</numerusform>
            <numerusform>%n restantes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/batch_stats.py" line="84"/>
        <source>{rate} POs/min</source>
        <translation>{rate} POs/min</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/batch_stats.py" line="86"/>
        <source>ETA {eta}</source>
        <translation>conclusão em {eta}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="98"/>
        <source>%n completed</source>
        <translation>
            <numerusform>%n concluído</numerusform>
            <numerusform>%n concluídos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="99"/>
        <source>%n no attachments</source>
        <translation>
            <numerusform>%n sem anexos</numerusform>
            <numerusform>%n sem anexos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="100"/>
        <source>%n need attention</source>
        <translation>
            <numerusform>%n precisa de atenção</numerusform>
            <numerusform>%n precisam de atenção</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/batch_stats.py" line="102"/>
        <source>%n POs: {parts} — {size} in {time}</source>
        <translation>
            <numerusform>%n PO: {parts} — {size} em {time}</numerusform>
            <numerusform>%n POs: {parts} — {size} em {time}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/batch_stats.py" line="112"/>
        <source>stopped before the end</source>
        <translation>interrompido antes do fim</translation>
    </message>
</context>
<context>
    <name>BreakerOffer</name>
    <message>
        <location filename="../../po_downloader/ui/breaker_offer.py" line="85"/>
        <source>Resume {group}</source>
        <translation>Retomar {group}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/breaker_offer.py" line="93"/>
        <source>Stopped sending {name}: its last {count} POs all ended with {way}; %n POs skipped.</source>
        <translation>
            <numerusform>Parou de enviar {name}: os últimos {count} POs terminaram todos com {way}; %n PO ignorado.</numerusform>
            <numerusform>Parou de enviar {name}: os últimos {count} POs terminaram todos com {way}; %n POs ignorados.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_offer.py" line="100"/>
        <source>Once the batch has ended and the cause is fixed, resume a group here.</source>
        <translation>Quando o lote terminar e a causa estiver corrigida, retome um grupo aqui.</translation>
    </message>
</context>
<context>
    <name>BreakerSettings</name>
    <message>
        <location filename="../../po_downloader/ui/breaker_settings.py" line="25"/>
        <source>Off</source>
        <translation>Desligado</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_settings.py" line="28"/>
        <source>Stop sending a group&apos;s POs once its last this-many POs all ended the same failing way (no access, a portal error); the rest of the group is skipped and can be resumed in one click.</source>
        <translation>Parar de enviar os POs de um grupo quando os últimos POs dele, nesta quantidade, terminaram todos do mesmo jeito com falha (sem acesso, um erro do portal); o resto do grupo é ignorado e pode ser retomado com um clique.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_settings.py" line="33"/>
        <source>empty: the whole batch is one group</source>
        <translation>vazio: o lote inteiro é um grupo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_settings.py" line="35"/>
        <source>The sheet column whose values make the groups, e.g. a company code column.</source>
        <translation>A coluna da planilha cujos valores formam os grupos, por exemplo, uma coluna de código da empresa.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_settings.py" line="40"/>
        <source>POs in a row, per group of column:</source>
        <translation>POs seguidos, por grupo da coluna:</translation>
    </message>
</context>
<context>
    <name>ColumnChoice</name>
    <message>
        <location filename="../../po_downloader/ui/column_dialog.py" line="175"/>
        <source>Choose the PO column…</source>
        <translation>Escolher a coluna de PO…</translation>
    </message>
</context>
<context>
    <name>ColumnDialog</name>
    <message>
        <location filename="../../po_downloader/ui/column_dialog.py" line="62"/>
        <source>Which column holds the PO numbers?</source>
        <extracomment>How many rows the dialog shows (and counts POs in) under the header.</extracomment>
        <translation>Qual coluna tem os números de PO?</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/column_dialog.py" line="66"/>
        <source>Choose the column of “{name}” that holds the PO numbers. The choice is remembered for sheets with these same columns; the sheet itself is not changed.</source>
        <translation>Escolha a coluna de “{name}” que tem os números de PO. A escolha é lembrada para planilhas com estas mesmas colunas; a planilha em si não é alterada.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/column_dialog.py" line="79"/>
        <source>(none)</source>
        <translation>(nenhuma)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/column_dialog.py" line="82"/>
        <source>PO numbers:</source>
        <translation>Números de PO:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/column_dialog.py" line="84"/>
        <source>Supplier (optional):</source>
        <translation>Fornecedor (opcional):</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/column_dialog.py" line="86"/>
        <source>Other columns for folder templates (optional):</source>
        <translation>Outras colunas para modelos de pasta (opcional):</translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/column_dialog.py" line="125"/>
        <source>%n of the first rows shown hold a PO number in this column</source>
        <translation>
            <numerusform>%n das primeiras linhas mostradas tem um número de PO nesta coluna</numerusform>
            <numerusform>%n das primeiras linhas mostradas têm um número de PO nesta coluna</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DemoLauncher</name>
    <message>
        <location filename="../../po_downloader/ui/demo_launcher.py" line="73"/>
        <source>No Coupa address is configured yet. Try the bundled demo portal to see a batch work end to end, or enter your company&apos;s Coupa address in the settings.</source>
        <translation>Nenhum endereço do Coupa foi configurado ainda. Experimente o portal de demonstração incluído para ver um lote funcionar do início ao fim, ou informe o endereço do Coupa da sua empresa nas configurações.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/demo_launcher.py" line="77"/>
        <source>Try the demo portal</source>
        <translation>Experimentar o portal de demonstração</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/demo_launcher.py" line="78"/>
        <location filename="../../po_downloader/ui/demo_launcher.py" line="110"/>
        <source>Settings…</source>
        <translation>Configurações…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/demo_launcher.py" line="83"/>
        <source>Starting the demo portal and signing in…</source>
        <translation>Iniciando o portal de demonstração e entrando…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/demo_launcher.py" line="100"/>
        <source>Demo portal running at {url}. The demo sheet is loaded: press Start.</source>
        <translation>Portal de demonstração em execução em {url}. A planilha de demonstração foi carregada: clique em Iniciar.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/demo_launcher.py" line="109"/>
        <source>The demo could not start: {e}</source>
        <translation>Não foi possível iniciar a demonstração: {e}</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../po_downloader/ui/drop_zone.py" line="48"/>
        <source>Drop a CSV or Excel file with PO numbers here</source>
        <translation>Arraste para cá um arquivo CSV ou Excel com os números de PO</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/drop_zone.py" line="60"/>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/drop_zone.py" line="95"/>
        <source>CSV or Excel files ({patterns})</source>
        <translation>Arquivos CSV ou Excel ({patterns})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/drop_zone.py" line="97"/>
        <source>Open a list of PO numbers</source>
        <translation>Abrir uma lista de números de PO</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/drop_zone.py" line="118"/>
        <source>Drop a file from this computer</source>
        <translation>Solte um arquivo deste computador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/drop_zone.py" line="120"/>
        <source>Drop one file at a time</source>
        <translation>Solte um arquivo de cada vez</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/drop_zone.py" line="126"/>
        <source>Only CSV or Excel files ({suffixes})</source>
        <translation>Somente arquivos CSV ou Excel ({suffixes})</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="23"/>
        <source>“{name}” is not a supported file type (use one of {suffixes})</source>
        <translation>“{name}” não é um tipo de arquivo aceito (use um destes: {suffixes})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="26"/>
        <source>file not found: {path}</source>
        <translation>arquivo não encontrado: {path}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="27"/>
        <source>cannot read “{name}”: {detail}</source>
        <translation>não foi possível ler “{name}”: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="28"/>
        <source>“{name}” is an Excel workbook, not a CSV file: rename it to end in {suffix}</source>
        <translation>“{name}” é uma pasta de trabalho do Excel, não um arquivo CSV: renomeie-o para terminar em {suffix}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="31"/>
        <source>“{name}” is not a readable CSV file: {detail}</source>
        <translation>“{name}” não é um arquivo CSV legível: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="46"/>
        <source>“{name}” is not a readable Excel file (damaged or not Excel): {detail}</source>
        <translation>“{name}” não é um arquivo do Excel legível (danificado ou não é do Excel): {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="49"/>
        <source>“{name}” has no data</source>
        <translation>“{name}” não tem dados</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="50"/>
        <source>no PO column in “{name}”; headers seen: {headers}</source>
        <translation>nenhuma coluna de PO em “{name}”; cabeçalhos encontrados: {headers}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="53"/>
        <source>“{name}” has no column “{column}”; its columns: {headers}</source>
        <translation>“{name}” não tem a coluna “{column}”; suas colunas: {headers}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="56"/>
        <source>no valid PO number in column “{column}” of “{where}” ({invalid} invalid; row {row}: {reason})</source>
        <translation>nenhum número de PO válido na coluna “{column}” de “{where}” ({invalid} inválidos; linha {row}: {reason})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="60"/>
        <source>no valid PO number in column “{column}” of “{where}”: it has a header but no data rows</source>
        <translation>nenhum número de PO válido na coluna “{column}” de “{where}”: há um cabeçalho, mas nenhuma linha de dados</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="64"/>
        <source>no valid PO number in column “{column}” of “{where}”: every row is blank</source>
        <translation>nenhum número de PO válido na coluna “{column}” de “{where}”: todas as linhas estão em branco</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="67"/>
        <source>“{name}” changed after it was read: nothing was started; open it again, then Start</source>
        <translation>“{name}” foi alterado depois de lido: nada foi iniciado; abra-o de novo e clique em Iniciar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="70"/>
        <source>the results file must end in .csv or .xlsx, not “{name}”</source>
        <translation>o arquivo de resultados deve terminar em .csv ou .xlsx, não “{name}”</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="73"/>
        <source>the results file would overwrite the input “{name}”: rename the input file</source>
        <translation>o arquivo de resultados substituiria a entrada “{name}”: renomeie o arquivo de entrada</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="76"/>
        <source>cannot write the results file “{path}” ({detail}): it is open in another program (e.g. Excel) or the folder is not writable. Close it and the results will be written at the next update.</source>
        <translation>não foi possível gravar o arquivo de resultados “{path}” ({detail}): ele está aberto em outro programa (por exemplo, o Excel) ou a pasta não permite gravação. Feche-o e os resultados serão gravados na próxima atualização.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="80"/>
        <source>the results file “{path}” stayed locked (open in Excel?): the results were saved to “{fallback}” instead</source>
        <translation>o arquivo de resultados “{path}” continuou bloqueado (aberto no Excel?): os resultados foram salvos em “{fallback}”</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="84"/>
        <source>the results could not be written to “{path}” nor beside it ({detail}). The journal keeps them: close the file and start the sheet again to write them.</source>
        <translation>não foi possível gravar os resultados em “{path}” nem ao lado dele ({detail}). O diário os guarda: feche o arquivo e inicie a planilha de novo para gravá-los.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="88"/>
        <source>cannot write the results file “{path}” ({detail}): nothing was started. Make its folder writable, or copy the sheet to a folder you can write to, and start again.</source>
        <translation>não foi possível gravar o arquivo de resultados “{path}” ({detail}): nada foi iniciado. Torne a pasta dele gravável, ou copie a planilha para uma pasta em que você possa gravar, e inicie de novo.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="92"/>
        <source>cannot prepare the batch: “{path}” ({detail}); nothing was started. Fix that file or its folder and start again.</source>
        <translation>não foi possível preparar o lote: “{path}” ({detail}); nada foi iniciado. Corrija esse arquivo ou a pasta dele e inicie de novo.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="96"/>
        <source>there is no unfinished batch of “{path}” to resume</source>
        <translation>não há lote inacabado de “{path}” para retomar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="99"/>
        <source>“{path}” has changed since its unfinished batch of {started}, so it cannot be resumed: start a new batch</source>
        <translation>“{path}” mudou desde o seu lote inacabado de {started}, então não pode ser retomado: inicie um novo lote</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="103"/>
        <source>the settings cannot run a batch</source>
        <translation>as configurações não permitem executar um lote</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="104"/>
        <source>no Coupa URL configured: enter it in Settings (e.g. https://yourcompany.coupahost.com)</source>
        <translation>nenhum endereço do Coupa configurado: informe-o nas Configurações (por exemplo, https://suaempresa.coupahost.com)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="108"/>
        <source>not a web address: “{url}” (expected e.g. https://yourcompany.coupahost.com)</source>
        <translation>não é um endereço web: “{url}” (esperado, por exemplo, https://suaempresa.coupahost.com)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="111"/>
        <source>use https for {host}: the session cookie must not travel unencrypted</source>
        <translation>use https para {host}: o cookie de sessão não pode trafegar sem criptografia</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="114"/>
        <source>the Coupa address must not contain a user name or password: enter {url} in Settings and use “Sign in to Coupa…”</source>
        <translation>o endereço do Coupa não deve conter usuário nem senha: informe {url} nas Configurações e use “Entrar no Coupa…”</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="118"/>
        <source>the Coupa address must not contain a query (?…): enter {url} in Settings</source>
        <translation>o endereço do Coupa não deve conter uma consulta (?…): informe {url} nas Configurações</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="121"/>
        <source>the Coupa address must not contain a fragment (#…): enter {url} in Settings</source>
        <translation>o endereço do Coupa não deve conter um fragmento (#…): informe {url} nas Configurações</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="124"/>
        <source>unknown browser “{browser}”: choose one of {choices}</source>
        <translation>navegador desconhecido “{browser}”: escolha um destes: {choices}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="127"/>
        <source>the number of workers cannot be negative</source>
        <translation>o número de navegadores em paralelo não pode ser negativo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="130"/>
        <source>attempts per PO must be at least 1</source>
        <translation>as tentativas por PO devem ser pelo menos 1</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="131"/>
        <source>the {setting} must be more than zero</source>
        <translation>o {setting} deve ser maior que zero</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="134"/>
        <source>browser profile folder not found: {path}</source>
        <translation>pasta do perfil do navegador não encontrada: {path}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="137"/>
        <source>browser driver not found: {path}</source>
        <translation>driver do navegador não encontrado: {path}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="138"/>
        <source>cannot write to the download folder {path}: {detail}</source>
        <translation>não é possível gravar na pasta de downloads {path}: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="141"/>
        <source>the folder layout “{template}” has a stray brace or an empty token: write each token as {example}</source>
        <translation>o modelo de pastas “{template}” tem uma chave solta ou um token vazio: escreva cada token como {example}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="145"/>
        <source>the folder layout “{template}” must end with {po} as a folder of its own, and use it only there (e.g. {example})</source>
        <translation>o modelo de pastas “{template}” deve terminar com {po} como uma pasta própria, e usá-lo só ali (ex.: {example})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="149"/>
        <source>the folder layout uses {token}, which is neither a page token nor a column of the sheet (known: {known})</source>
        <translation>o modelo de pastas usa {token}, que não é um token da página nem uma coluna da planilha (conhecidos: {known})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="153"/>
        <source>not signed in to Coupa yet: use “Sign in to Coupa…” first</source>
        <translation>ainda sem login no Coupa: use antes “Entrar no Coupa…”</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="156"/>
        <source>no browser profile at {path}: check the profile folder in Settings</source>
        <translation>nenhum perfil de navegador em {path}: verifique a pasta do perfil nas Configurações</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="159"/>
        <source>you chose an existing browser profile: sign in to Coupa with that browser itself.</source>
        <translation>você escolheu um perfil de navegador existente: entre no Coupa com esse próprio navegador.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="162"/>
        <source>cannot read the selectors file {path}: {detail}</source>
        <translation>não foi possível ler o arquivo de seletores {path}: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="165"/>
        <source>the selectors file {path} must hold a JSON object</source>
        <translation>o arquivo de seletores {path} deve conter um objeto JSON</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="168"/>
        <source>the selectors key “{key}” must be {expected}</source>
        <translation>a chave de seletores “{key}” deve ser {expected}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="239"/>
        <source>{path} in the download folder is a link or a file, not a folder: links there are never followed, so no download started. Remove it (the app makes the folder itself) and start again.</source>
        <translation>{path} na pasta de downloads é um link ou um arquivo, não uma pasta: links ali nunca são seguidos, então nenhum download começou. Remova-o (o aplicativo cria a pasta sozinho) e inicie de novo.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="244"/>
        <source>the download folder {root} is in use by another batch: {input}, started {since} (process {pid}). Wait for it to end, or choose another download folder in Settings.</source>
        <translation>a pasta de download {root} está em uso por outro lote: {input}, iniciado em {since} (processo {pid}). Aguarde o término ou escolha outra pasta de download nas Configurações.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="248"/>
        <source>the download folder {root} is too deep for this system&apos;s {limit}-character path limit: choose a shorter download folder (or enable long paths in Windows)</source>
        <translation>a pasta de downloads {root} é profunda demais para o limite de {limit} caracteres de caminho deste sistema: escolha uma pasta de downloads mais curta (ou ative os caminhos longos no Windows)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="252"/>
        <source>the download folder {root} is too deep for this system&apos;s {limit}-character path limit (the browser&apos;s downloads need room in it too): choose a shorter download folder (or enable long paths in Windows)</source>
        <translation>a pasta de downloads {root} é profunda demais para o limite de {limit} caracteres de caminho deste sistema (os downloads do navegador também precisam de espaço nela): escolha uma pasta de downloads mais curta (ou ative os caminhos longos no Windows)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="256"/>
        <source>{path} in the download folder is a link to {target}; links there are never followed: replace it with a real folder</source>
        <translation>{path} na pasta de downloads é um link para {target}; links ali nunca são seguidos: substitua-o por uma pasta de verdade</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="260"/>
        <source>{path} in the download folder is a file, not a folder</source>
        <translation>{path} na pasta de downloads é um arquivo, não uma pasta</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="263"/>
        <source>{name} could not be renamed: another program holds a file in it ({detail})</source>
        <translation>não foi possível renomear {name}: outro programa está usando um arquivo dentro dela ({detail})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="270"/>
        <source>no column &apos;{column}&apos; in &apos;{name}&apos; to group POs by; its columns: {headers}</source>
        <translation>não há coluna &apos;{column}&apos; em &apos;{name}&apos; para agrupar os POs; as colunas dela: {headers}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="273"/>
        <source>Coupa: {said}</source>
        <translation>Coupa: {said}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="274"/>
        <source>Coupa has no such PO</source>
        <translation>o Coupa não tem este pedido</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="275"/>
        <source>Coupa does not let this user see the PO</source>
        <translation>o Coupa não deixa este usuário ver o pedido</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="276"/>
        <source>an error page that is not Coupa&apos;s came back; the PO is tried again</source>
        <translation>voltou uma página de erro que não é do Coupa; o pedido é tentado de novo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="279"/>
        <source>Coupa showed an error: {detail}</source>
        <translation>o Coupa mostrou um erro: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="280"/>
        <source>the page never proved its list of attachments</source>
        <translation>a página nunca comprovou sua lista de anexos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="283"/>
        <source>the page changed while its attachments were read</source>
        <translation>a página mudou enquanto seus anexos eram lidos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="286"/>
        <source>files not saved: {missing} of {total} ({names})</source>
        <translation>arquivos não salvos: {missing} de {total} ({names})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="289"/>
        <source>saved, with notes</source>
        <translation>salvo, com observações</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="290"/>
        <source>the worker&apos;s browser stopped unexpectedly (exit code {code})</source>
        <translation>um navegador parou inesperadamente (código de saída {code})</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="293"/>
        <source>the download folder {path} is full ({free} free): the batch stopped and finished files are kept; free some space, then press Retry failed to carry on</source>
        <translation>a pasta de downloads {path} está cheia ({free} livres): o lote parou e os arquivos concluídos foram mantidos; libere espaço e clique em Repetir POs com falha para continuar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="298"/>
        <source>the download folder {path} became read-only: the batch stopped and finished files are kept; make it writable, then press Retry failed to carry on</source>
        <translation>a pasta de downloads {path} ficou somente leitura: o lote parou e os arquivos concluídos foram mantidos; libere a gravação e clique em Repetir POs com falha para continuar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="322"/>
        <source>a list of non-empty texts, not empty</source>
        <translation>uma lista não vazia de textos não vazios</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="323"/>
        <source>a list of non-empty texts</source>
        <translation>uma lista de textos não vazios</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="324"/>
        <source>a non-empty text</source>
        <translation>um texto não vazio</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="325"/>
        <source>a text</source>
        <translation>um texto</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="326"/>
        <source>a text with exactly the placeholders {base_url} and {digits}</source>
        <translation>um texto com exatamente os marcadores {base_url} e {digits}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="329"/>
        <source>an object with the keys of the bundled selectors.json</source>
        <translation>um objeto com as chaves do selectors.json incluído no programa</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="171"/>
        <source>the selectors file {path} has unknown keys: {keys}</source>
        <translation>o arquivo de seletores {path} tem chaves desconhecidas: {keys}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="34"/>
        <source>“{name}”: the quote (&quot;) that opens a cell on line {line} is never closed, so the rest of the file would be read as one cell. Close or remove that quote and open the file again.</source>
        <translation>“{name}”: as aspas (&quot;) que abrem uma célula na linha {line} nunca são fechadas, então o resto do arquivo seria lido como uma única célula. Feche ou remova essas aspas e abra o arquivo de novo.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="38"/>
        <source>“{name}” is not a CSV text file: it holds binary data (a NUL byte on line {line}). Export the sheet again as CSV, or open the Excel workbook itself.</source>
        <translation>“{name}” não é um arquivo de texto CSV: contém dados binários (um byte NUL na linha {line}). Exporte a planilha de novo como CSV ou abra a própria pasta de trabalho do Excel.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="42"/>
        <source>“{name}” is password-protected: save it without a password (Excel: File › Info › Protect Workbook › Encrypt with Password, clear the password) and open that file.</source>
        <translation>“{name}” está protegido por senha: salve-o sem senha (Excel: Arquivo › Informações › Proteger Pasta de Trabalho › Criptografar com Senha, apague a senha) e abra esse arquivo.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="174"/>
        <source>the selectors file {path} uses {key}, which is gone: use {replacement}</source>
        <translation>o arquivo de seletores {path} usa {key}, que não existe mais: use {replacement}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="177"/>
        <source>the selectors file is missing or has a malformed key: {key}</source>
        <translation>falta uma chave no arquivo de seletores, ou ela está malformada: {key}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="180"/>
        <source>not a profile folder name: “{name}”</source>
        <translation>não é um nome de pasta de perfil: “{name}”</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="181"/>
        <source>browser profile not found: {path}</source>
        <translation>perfil do navegador não encontrado: {path}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="182"/>
        <source>the profile {path} has no sign-in cookies: sign in to Coupa once with it, then close the browser</source>
        <translation>o perfil {path} não tem cookies de login: entre no Coupa uma vez com ele e depois feche o navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="186"/>
        <source>could not copy the sign-in cookies ({detail}): close the browser that uses this profile and try again</source>
        <translation>não foi possível copiar os cookies de login ({detail}): feche o navegador que usa este perfil e tente novamente</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="190"/>
        <source>the copy of {path} has no sign-in cookies</source>
        <translation>a cópia de {path} não tem cookies de login</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="193"/>
        <source>the profile copy folder {path} exists and is not empty</source>
        <translation>a pasta da cópia do perfil {path} já existe e não está vazia</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="196"/>
        <source>no Microsoft Edge, Google Chrome or Chromium found on this computer</source>
        <translation>nenhum Microsoft Edge, Google Chrome ou Chromium encontrado neste computador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="199"/>
        <source>{browser} was not found on this computer: install it or choose another browser in Settings</source>
        <translation>{browser} não foi encontrado neste computador: instale-o ou escolha outro navegador nas Configurações</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="203"/>
        <source>the browser driver does not match {browser}</source>
        <translation>o driver do navegador não corresponde ao {browser}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="206"/>
        <source>the profile copy {path} is in use by another browser</source>
        <translation>a cópia do perfil {path} está em uso por outro navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="209"/>
        <source>could not start {browser}: {detail}</source>
        <translation>não foi possível iniciar o {browser}: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="210"/>
        <source>the browser profile is not signed in to Coupa</source>
        <translation>o perfil do navegador não está conectado ao Coupa</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="213"/>
        <source>Coupa asked to sign in again</source>
        <translation>o Coupa pediu para entrar novamente</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="214"/>
        <source>still not signed in: {url} sends the browser to {page}</source>
        <translation>ainda sem login: {url} leva o navegador para {page}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="217"/>
        <source>Coupa did not answer in time: {detail}</source>
        <translation>o Coupa não respondeu a tempo: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="218"/>
        <source>not a usable Selenium Grid address: “{url}” (expected e.g. http://gridhost:4444)</source>
        <translation>endereço de Selenium Grid inutilizável: “{url}” (esperado, por exemplo, http://gridhost:4444)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="221"/>
        <source>the Selenium Grid at {url} does not answer ({detail}): check its address and that it runs</source>
        <translation>o Selenium Grid em {url} não responde ({detail}): confira o endereço e se ele está no ar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="225"/>
        <source>the Selenium Grid at {url} had no free browser slot in {waited} s</source>
        <translation>o Selenium Grid em {url} não teve vaga livre de navegador em {waited} s</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="228"/>
        <source>the Selenium Grid at {url} gave no browser session: {detail}</source>
        <translation>o Selenium Grid em {url} não abriu uma sessão de navegador: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="231"/>
        <source>the sign-in carried to the Selenium Grid&apos;s browsers at {url} did not take: sign in again</source>
        <translation>o login levado aos navegadores do Selenium Grid em {url} não funcionou: faça login de novo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="235"/>
        <source>the workers could not start: {detail}</source>
        <translation>os navegadores não puderam iniciar: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="238"/>
        <source>a worker failed: {detail}</source>
        <translation>um dos navegadores falhou: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="266"/>
        <source>skipped: the last {count} POs of {name} all ended with {way}; not worked</source>
        <translation>ignorado: os últimos {count} POs de {name} terminaram todos com {way}; não processado</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="311"/>
        <source>page load time limit</source>
        <translation>tempo limite de carregamento da página</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="312"/>
        <source>attachment list time limit</source>
        <translation>tempo limite da lista de anexos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/error_text.py" line="313"/>
        <source>download time limit</source>
        <translation>tempo limite de download</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_words.py" line="19"/>
        <source>no access</source>
        <translation>sem acesso</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_words.py" line="20"/>
        <source>a portal error</source>
        <translation>um erro do portal</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_words.py" line="21"/>
        <source>a sign-in page</source>
        <translation>uma página de login</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_words.py" line="26"/>
        <source>the whole batch</source>
        <translation>o lote inteiro</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/breaker_words.py" line="27"/>
        <source>{column} (blank)</source>
        <translation>{column} (em branco)</translation>
    </message>
</context>
<context>
    <name>FactsCheck</name>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="21"/>
        <source>Add what each PO&apos;s page shows to the results</source>
        <translation>Incluir nos resultados o que a página de cada pedido mostra</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="24"/>
        <source>Extra results columns from the PO page: status, total and currency, supplier number, company, payment term, created date, requester and requisition number. A fact the page does not show stays blank.</source>
        <translation>Colunas a mais nos resultados, vindas da página do pedido: status, total e moeda, número do fornecedor, empresa, condição de pagamento, data de criação, solicitante e número da requisição. O que a página não mostra fica em branco.</translation>
    </message>
</context>
<context>
    <name>FileProgress</name>
    <message>
        <location filename="../../po_downloader/ui/file_progress.py" line="72"/>
        <source>{done}/{found} files</source>
        <translation>{done}/{found} arquivos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/file_progress.py" line="81"/>
        <location filename="../../po_downloader/ui/file_progress.py" line="105"/>
        <source>{received} of {total}</source>
        <translation>{received} de {total}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/file_progress.py" line="90"/>
        <location filename="../../po_downloader/ui/file_progress.py" line="112"/>
        <source>{speed}/s</source>
        <translation>{speed}/s</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/file_progress.py" line="95"/>
        <location filename="../../po_downloader/ui/file_progress.py" line="116"/>
        <source>{time} left</source>
        <translation>faltam {time}</translation>
    </message>
</context>
<context>
    <name>FolderTemplateField</name>
    <message>
        <location filename="../../po_downloader/ui/folder_template_field.py" line="41"/>
        <source>Where each PO&apos;s folder goes below the download folder. The last folder is always the PO&apos;s own, named with its status. A value the sheet or page lacks goes to a “_no …” folder.</source>
        <translation>Onde fica a pasta de cada PO dentro da pasta de downloads. A última pasta é sempre a da própria PO, com o seu status no nome. Um valor que falta na planilha ou na página vai para uma pasta “_no …”.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/folder_template_field.py" line="79"/>
        <source>Tokens: {page}, or any column of the sheet by its header.</source>
        <translation>Tokens: {page}, ou qualquer coluna da planilha pelo seu cabeçalho.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/folder_template_field.py" line="84"/>
        <source>Tokens: {page}, or this sheet&apos;s columns: {columns}</source>
        <translation>Tokens: {page}, ou as colunas desta planilha: {columns}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/folder_template_field.py" line="101"/>
        <source>Open a sheet to preview its folders.</source>
        <translation>Abra uma planilha para ver as pastas dela.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/folder_template_field.py" line="107"/>
        <source>‹supplier›</source>
        <translation>‹fornecedor›</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/folder_template_field.py" line="110"/>
        <source>{po}_‹status›</source>
        <translation>{po}_‹status›</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/folder_template_field.py" line="111"/>
        <source>The first POs go to:</source>
        <translation>As primeiras POs vão para:</translation>
    </message>
</context>
<context>
    <name>GridSlotsWatch</name>
    <message>
        <location filename="../../po_downloader/ui/grid_slots.py" line="126"/>
        <source>Selenium Grid: {free} of {total} browser slots free</source>
        <translation>Selenium Grid: {free} de {total} vagas de navegador livres</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="113"/>
        <source>Batch history</source>
        <translation>Histórico de lotes</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="119"/>
        <source>Input file</source>
        <translation>Arquivo de entrada</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="120"/>
        <source>Started</source>
        <translation>Início</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="121"/>
        <source>Ended</source>
        <translation>Fim</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="122"/>
        <source>POs</source>
        <translation>POs</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="123"/>
        <source>Files</source>
        <translation>Arquivos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="124"/>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="137"/>
        <source>Open manifest</source>
        <translation>Abrir manifesto</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="138"/>
        <source>Clear history…</source>
        <translation>Limpar histórico…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="175"/>
        <source>Reading the history…</source>
        <translation>Lendo o histórico…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="204"/>
        <source>No batch yet: the history starts with your first batch.</source>
        <translation>Nenhum lote ainda: o histórico começa com o seu primeiro lote.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="211"/>
        <source>The history could not be read: {error}</source>
        <translation>Não foi possível ler o histórico: {error}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="226"/>
        <source>unfinished (never ended)</source>
        <translation>inacabado (nunca terminou)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/history_dialog.py" line="229"/>
        <source>{time}, unfinished: %n to do</source>
        <translation>
            <numerusform>{time}, inacabado: falta %n</numerusform>
            <numerusform>{time}, inacabado: faltam %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="230"/>
        <source>{time} (stopped)</source>
        <translation>{time} (interrompido)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="238"/>
        <source>{total}: {parts}</source>
        <translation>{total}: {parts}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="254"/>
        <source>Writing the manifest…</source>
        <translation>Gravando o manifesto…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="270"/>
        <source>Opened {path}</source>
        <translation>Aberto: {path}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="273"/>
        <source>The manifest is at {path}; no program could open it.</source>
        <translation>O manifesto está em {path}; nenhum programa conseguiu abri-lo.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="277"/>
        <source>The manifest could not be written: {error}</source>
        <translation>Não foi possível gravar o manifesto: {error}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="281"/>
        <source>Forget every finished batch? Unfinished batches stay so they can be resumed; downloaded files, results and manifests are not touched.</source>
        <translation>Esquecer todos os lotes concluídos? Os lotes inacabados ficam para poderem ser retomados; arquivos baixados, resultados e manifestos não são alterados.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/history_dialog.py" line="301"/>
        <source>The history could not be cleared: {error}</source>
        <translation>Não foi possível limpar o histórico: {error}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/history_dialog.py" line="306"/>
        <source>Finished batches forgotten: %n.</source>
        <translation>
            <numerusform>Lotes concluídos esquecidos: %n.</numerusform>
            <numerusform>Lotes concluídos esquecidos: %n.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../po_downloader/ui/log_panel.py" line="128"/>
        <source>Hide log</source>
        <translation>Ocultar log</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/log_panel.py" line="128"/>
        <source>Show log</source>
        <translation>Mostrar log</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="113"/>
        <source>PO Downloader</source>
        <translation>PO Downloader</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="149"/>
        <source>Your selectors file cannot be used, so no batch can start until it is fixed: {error}</source>
        <translation>Seu arquivo de seletores não pode ser usado; nenhum lote pode começar até que ele seja corrigido: {error}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="17"/>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="19"/>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="21"/>
        <location filename="../../po_downloader/ui/main_window.py" line="320"/>
        <source>Settings…</source>
        <translation>Configurações…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="22"/>
        <source>Sign in to Coupa…</source>
        <translation>Entrar no Coupa…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="23"/>
        <location filename="../../po_downloader/ui/main_window.py" line="367"/>
        <source>Open results</source>
        <translation>Abrir resultados</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="24"/>
        <location filename="../../po_downloader/ui/main_window.py" line="362"/>
        <source>Open download folder</source>
        <translation>Abrir pasta de downloads</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="26"/>
        <source>Try the demo portal</source>
        <translation>Experimentar o portal de demonstração</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_toolbar.py" line="25"/>
        <source>History…</source>
        <translation>Histórico…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/worker_controls.py" line="30"/>
        <source>Workers:</source>
        <translation>Navegadores em paralelo:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/worker_controls.py" line="48"/>
        <source>Running {target} of {requested} workers</source>
        <translation>Usando {target} de {requested} navegadores</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/worker_controls.py" line="24"/>
        <source>How many browsers work in parallel</source>
        <translation>Quantos navegadores trabalham em paralelo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="180"/>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="181"/>
        <location filename="../../po_downloader/ui/main_window.py" line="388"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="182"/>
        <source>Stop</source>
        <translation>Parar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="183"/>
        <location filename="../../po_downloader/ui/main_window.py" line="365"/>
        <source>Retry failed</source>
        <translation>Repetir POs com falha</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/filter_bar.py" line="21"/>
        <source>Filter by PO, supplier or message</source>
        <translation>Filtrar por PO, fornecedor ou mensagem</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/filter_bar.py" line="26"/>
        <source>All POs</source>
        <translation>Todos os POs</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/filter_bar.py" line="27"/>
        <source>Problems only</source>
        <translation>Somente com problemas</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/filter_bar.py" line="28"/>
        <source>In progress</source>
        <translation>Em andamento</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/filter_bar.py" line="29"/>
        <source>Done</source>
        <translation>Concluídos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="261"/>
        <source>A batch is running: stop it before opening another sheet</source>
        <translation>Há um lote em andamento: pare-o antes de abrir outra planilha</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="264"/>
        <source>Reading {name}…</source>
        <translation>Lendo {name}…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="292"/>
        <source>{name}: {error}</source>
        <translation>{name}: {error}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="326"/>
        <source>Preparing the batch…</source>
        <translation>Preparando o lote…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="311"/>
        <source>Stopping: finished downloads are kept…</source>
        <translation>Parando: os downloads concluídos são mantidos…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="356"/>
        <source>the results file {path} stayed locked (open in another program?): the results were saved to {fallback}</source>
        <translation>o arquivo de resultados {path} continuou bloqueado (aberto em outro programa?): os resultados foram salvos em {fallback}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="374"/>
        <source>The batch stopped with an error: {m}</source>
        <translation>O lote parou com um erro: {m}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="388"/>
        <source>Resume</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="432"/>
        <source>Stop the batch?</source>
        <translation>Parar o lote?</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="433"/>
        <source>A batch is running. Stop it and close? Finished downloads are kept.</source>
        <translation>Há um lote em andamento. Pará-lo e fechar? Os downloads concluídos são mantidos.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sheet_summary.py" line="35"/>
        <source>chosen by you</source>
        <translation>escolhida por você</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sheet_summary.py" line="37"/>
        <source>as you chose for these columns</source>
        <translation>como você escolheu para estas colunas</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sheet_summary.py" line="39"/>
        <source>found by its header</source>
        <translation>encontrada pelo cabeçalho</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sheet_summary.py" line="40"/>
        <source>found by its values</source>
        <translation>encontrada pelos valores</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sheet_summary.py" line="45"/>
        <source>{file} — PO column “{column}” ({reason}): {counts}</source>
        <translation>{file} — coluna de PO “{column}” ({reason}): {counts}</translation>
    </message>
</context>
<context>
    <name>OutcomeWords</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/outcome_words.py" line="34"/>
        <source>gave up after %n attempts: {reason}</source>
        <translation>
            <numerusform>desistiu após %n tentativa: {reason}</numerusform>
            <numerusform>desistiu após %n tentativas: {reason}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="42"/>
        <source>attachments taken from requisition {number}</source>
        <translation>anexos tirados da requisição {number}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="45"/>
        <source>no attachments on the PO or on requisition {number}</source>
        <translation>nenhum anexo no pedido nem na requisição {number}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="51"/>
        <source>{mine} changed since it was saved: kept as it is, the portal&apos;s copy is {copy}</source>
        <translation>{mine} mudou desde que foi salvo: ficou como está, a cópia do portal é {copy}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="55"/>
        <source>the files saved before stay in {folder}</source>
        <translation>os arquivos salvos antes ficam em {folder}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="63"/>
        <location filename="../../po_downloader/ui/outcome_words.py" line="79"/>
        <source>Retry {attempt} in {seconds}s</source>
        <translation>Tentativa {attempt} em {seconds}s</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="73"/>
        <source>{name}: not saved</source>
        <translation>{name}: não salvo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="83"/>
        <source>Coupa asked to sign in again</source>
        <translation>o Coupa pediu para entrar de novo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="84"/>
        <source>checked again through the browser</source>
        <translation>conferido de novo pelo navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="88"/>
        <source>not processed: Coupa needs you to sign in again</source>
        <translation>não processado: o Coupa pede que você entre de novo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="89"/>
        <source>not processed: the batch was stopped</source>
        <translation>não processado: o lote foi parado</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="96"/>
        <source>other programs use {percent}% of the CPU</source>
        <translation>outros programas usam {percent}% da CPU</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="98"/>
        <source>memory is {percent}% used</source>
        <translation>a memória está {percent}% ocupada</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/outcome_words.py" line="100"/>
        <source>the computer has room again: adding workers back one at a time</source>
        <translation>o computador tem folga de novo: os navegadores voltam um a um</translation>
    </message>
</context>
<context>
    <name>PoDetails</name>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="74"/>
        <source>What the PO page shows</source>
        <translation>O que a página do pedido mostra</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="80"/>
        <source>{fact}:</source>
        <translation>{fact}:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="69"/>
        <source>PO {po}</source>
        <translation>PO {po}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="83"/>
        <source>{n} files saved in {folder}</source>
        <translation>{n} arquivos salvos em {folder}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="85"/>
        <source>No file of this PO is recorded yet.</source>
        <translation>Nenhum arquivo deste PO foi registrado ainda.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="91"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="91"/>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="91"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="91"/>
        <source>Route</source>
        <translation>Rota</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="91"/>
        <source>Source</source>
        <translation>Origem</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="107"/>
        <source>Open file</source>
        <translation>Abrir arquivo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/po_details.py" line="108"/>
        <source>Open folder</source>
        <translation>Abrir pasta</translation>
    </message>
</context>
<context>
    <name>PoFacts</name>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="43"/>
        <source>PO status</source>
        <translation>Status do pedido</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="44"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="45"/>
        <source>Currency</source>
        <translation>Moeda</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="46"/>
        <source>Supplier number</source>
        <translation>Número do fornecedor</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="47"/>
        <source>Company</source>
        <translation>Empresa</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="48"/>
        <source>Payment term</source>
        <translation>Condição de pagamento</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="49"/>
        <source>Created</source>
        <translation>Criado em</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="50"/>
        <source>Requester</source>
        <translation>Solicitante</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/facts_setting.py" line="51"/>
        <source>Requisition</source>
        <translation>Requisição</translation>
    </message>
</context>
<context>
    <name>ResumeOffer</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/resume_offer.py" line="35"/>
        <source>This sheet has an unfinished batch from {when}: {done} of %n POs done. Resume carries on where it stopped (finished POs and their files are kept); Start over works every PO again.</source>
        <translation>
            <numerusform>Esta planilha tem um lote não terminado de {when}: {done} de %n PO concluídos. Retomar continua de onde parou (os POs concluídos e seus arquivos são mantidos); Recomeçar processa todos os POs de novo.</numerusform>
            <numerusform>Esta planilha tem um lote não terminado de {when}: {done} de %n POs concluídos. Retomar continua de onde parou (os POs concluídos e seus arquivos são mantidos); Recomeçar processa todos os POs de novo.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/resume_offer.py" line="42"/>
        <source>Resume</source>
        <translation>Retomar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/resume_offer.py" line="43"/>
        <source>Start over</source>
        <translation>Recomeçar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/resume_offer.py" line="50"/>
        <source>This sheet changed since its unfinished batch of {when}: Start works it as a new batch (files already downloaded are recognised and not saved twice).</source>
        <translation>Esta planilha mudou desde o lote não terminado de {when}: Iniciar a processa como um lote novo (arquivos já baixados são reconhecidos e não são salvos duas vezes).</translation>
    </message>
</context>
<context>
    <name>RowActions</name>
    <message>
        <location filename="../../po_downloader/ui/row_actions.py" line="64"/>
        <source>Details…</source>
        <translation>Detalhes…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/row_actions.py" line="65"/>
        <source>Open folder</source>
        <translation>Abrir pasta</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/row_actions.py" line="69"/>
        <source>Open in browser</source>
        <translation>Abrir no navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/row_actions.py" line="70"/>
        <source>Copy URL</source>
        <translation>Copiar URL</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/row_actions.py" line="71"/>
        <source>Retry</source>
        <translation>Tentar novamente</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="84"/>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="85"/>
        <source>Chrome</source>
        <translation>Chrome</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="86"/>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="217"/>
        <source>Chromium</source>
        <translation>Chromium</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="92"/>
        <source>{browser} – {profile}</source>
        <translation>{browser} – {profile}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="114"/>
        <source>Settings</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="118"/>
        <source>po-downloader&apos;s own sign-in profile (recommended)</source>
        <translation>Perfil de sessão próprio do po-downloader (recomendado)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="131"/>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="140"/>
        <source>Hide browser windows</source>
        <translation>Ocultar as janelas do navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="141"/>
        <source>Untick to watch the browsers work, e.g. to see a problem.</source>
        <translation>Desmarque para ver os navegadores trabalhando, por exemplo, para investigar um problema.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="152"/>
        <source>Automatic: HTTP where it is proven to see what the browser sees</source>
        <translation>Automático: HTTP onde ficou provado que ele vê o mesmo que o navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="153"/>
        <source>Browser only</source>
        <translation>Somente o navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="154"/>
        <source>HTTP wherever the page proves its list (no check against the browser)</source>
        <translation>HTTP sempre que a página prova sua lista (sem conferir com o navegador)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="159"/>
        <source>How PO pages are read. HTTP uses the browser&apos;s session and is much faster; a page it cannot prove always goes to the browser.</source>
        <translation>Como as páginas dos pedidos são lidas. O HTTP usa a sessão do navegador e é muito mais rápido; uma página que ele não consegue provar sempre vai para o navegador.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="174"/>
        <source>Coupa address:</source>
        <translation>Endereço do Coupa:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="175"/>
        <source>Download folder:</source>
        <translation>Pasta de downloads:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="176"/>
        <source>Browser:</source>
        <translation>Navegador:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="178"/>
        <source>Sign-in profile:</source>
        <translation>Perfil de sessão:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="179"/>
        <source>Attempts per PO:</source>
        <translation>Tentativas por PO:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="180"/>
        <source>Page timeout:</source>
        <translation>Tempo limite da página:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="181"/>
        <source>Download timeout:</source>
        <translation>Tempo limite do download:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="182"/>
        <source>Reading pages:</source>
        <translation>Leitura das páginas:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="183"/>
        <source>Selenium Grid:</source>
        <translation>Selenium Grid:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="165"/>
        <source>empty: browsers on this computer</source>
        <translation>vazio: navegadores neste computador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="168"/>
        <source>A Selenium Grid 4 address (e.g. http://gridhost:4444): the browsers run on its nodes, as many as it has free slots, signed in with this computer&apos;s sign-in.</source>
        <translation>Endereço de um Selenium Grid 4 (por exemplo, http://gridhost:4444): os navegadores rodam nos nós dele, tantos quantas vagas livres ele tiver, com o login feito neste computador.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="185"/>
        <source>Stop a group after:</source>
        <translation>Parar um grupo após:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="188"/>
        <source>PO folders:</source>
        <translation>Pastas das POs:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="210"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="215"/>
        <source>Microsoft Edge</source>
        <translation>Microsoft Edge</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="216"/>
        <source>Google Chrome</source>
        <translation>Google Chrome</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="220"/>
        <source>{browser} (installed)</source>
        <translation>{browser} (instalado)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="221"/>
        <source>{browser} (not found on this computer)</source>
        <translation>{browser} (não encontrado neste computador)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="250"/>
        <source>Other – {profile} in {folder}</source>
        <translation>Outro – {profile} em {folder}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="292"/>
        <source>Choose the download folder</source>
        <translation>Escolha a pasta de downloads</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="337"/>
        <source>Settings not saved</source>
        <translation>Configurações não salvas</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="338"/>
        <source>The settings apply until you quit, but could not be saved:
{error}</source>
        <translation>As configurações valem até você fechar o aplicativo, mas não puderam ser salvas:
{error}</translation>
    </message>
</context>
<context>
    <name>SheetSummary</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="24"/>
        <source>%n POs to download</source>
        <translation>
            <numerusform>%n PO para baixar</numerusform>
            <numerusform>%n POs para baixar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="25"/>
        <source>%n duplicate rows</source>
        <translation>
            <numerusform>%n linha duplicada</numerusform>
            <numerusform>%n linhas duplicadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="26"/>
        <source>%n invalid rows</source>
        <translation>
            <numerusform>%n linha inválida</numerusform>
            <numerusform>%n linhas inválidas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/sheet_summary.py" line="27"/>
        <source>%n already completed</source>
        <translation>
            <numerusform>%n já concluída</numerusform>
            <numerusform>%n já concluídas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInFlow</name>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="70"/>
        <source>Coupa asks you to sign in again ({message}). The batch is paused and resumes where it stopped once you have signed in.</source>
        <translation>O Coupa pede que você entre novamente ({message}). O lote está pausado e continua de onde parou assim que você entrar.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="73"/>
        <source>Sign in…</source>
        <translation>Entrar…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="73"/>
        <source>Stop the batch</source>
        <translation>Parar o lote</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="81"/>
        <source>Sign in in the browser window, then close it…</source>
        <translation>Inicie a sessão na janela do navegador e depois feche-a…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="114"/>
        <source>The sign-in did not take: {detail}</source>
        <translation>A sessão não foi iniciada: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="115"/>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="127"/>
        <source>Try again…</source>
        <translation>Tentar novamente…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="119"/>
        <source>Signed in to Coupa</source>
        <translation>Sessão iniciada no Coupa</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/sign_in_flow.py" line="126"/>
        <source>Could not sign in: {e}</source>
        <translation>Não foi possível entrar: {e}</translation>
    </message>
</context>
<context>
    <name>Size</name>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="42"/>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="43"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="44"/>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="73"/>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="24"/>
        <source>Waiting</source>
        <translation>Aguardando</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="25"/>
        <source>Working</source>
        <translation>Em andamento</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="26"/>
        <source>Completed</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="27"/>
        <source>Partial</source>
        <translation>Parcial</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="28"/>
        <source>Failed</source>
        <translation>Com falha</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="29"/>
        <source>No attachments</source>
        <translation>Sem anexos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="30"/>
        <source>PO not found</source>
        <translation>PO não encontrado</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="31"/>
        <source>No access</source>
        <translation>Sem acesso</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="32"/>
        <source>Sign-in required</source>
        <translation>É preciso entrar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="33"/>
        <source>Invalid</source>
        <translation>Inválido</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/status_style.py" line="34"/>
        <source>Skipped</source>
        <translation>Ignorado</translation>
    </message>
</context>
<context>
    <name>TaskTableModel</name>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="150"/>
        <source>PO</source>
        <translation>PO</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="151"/>
        <source>Supplier</source>
        <translation>Fornecedor</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="152"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="153"/>
        <source>Files</source>
        <translation>Arquivos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="154"/>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="155"/>
        <source>Worker</source>
        <translation>Navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="156"/>
        <source>Attempts</source>
        <translation>Tentativas</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="157"/>
        <source>Message</source>
        <translation>Mensagem</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="158"/>
        <source>Route</source>
        <translation>Rota</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="159"/>
        <source>Folder</source>
        <translation>Pasta</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="392"/>
        <source>Worker stopped unexpectedly</source>
        <translation>O navegador parou inesperadamente</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="67"/>
        <source>Show window</source>
        <translation>Mostrar janela</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="69"/>
        <location filename="../../po_downloader/ui/tray.py" line="125"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="71"/>
        <source>Quit</source>
        <translation>Sair</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="125"/>
        <source>Resume</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="41"/>
        <source>Batch finished</source>
        <translation>Lote concluído</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="39"/>
        <source>Files in {folder}</source>
        <translation>Arquivos em {folder}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="74"/>
        <source>Open folder</source>
        <translation>Abrir pasta</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="77"/>
        <source>Retry failed</source>
        <translation>Repetir POs com falha</translation>
    </message>
</context>
<context>
    <name>WorkerControls</name>
    <message numerus="yes">
        <location filename="../../po_downloader/ui/worker_controls.py" line="43"/>
        <source>%n workers</source>
        <translation>
            <numerusform>%n navegador</numerusform>
            <numerusform>%n navegadores</numerusform>
        </translation>
    </message>
</context>
</TS>
