<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR" sourcelanguage="en">
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
        <location filename="../../po_downloader/ui/main_window.py" line="141"/>
        <source>PO Downloader</source>
        <translation>PO Downloader</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="153"/>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="155"/>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="156"/>
        <location filename="../../po_downloader/ui/main_window.py" line="337"/>
        <location filename="../../po_downloader/ui/main_window.py" line="362"/>
        <location filename="../../po_downloader/ui/main_window.py" line="620"/>
        <location filename="../../po_downloader/ui/main_window.py" line="650"/>
        <source>Settings…</source>
        <translation>Configurações…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="157"/>
        <source>Sign in to Coupa…</source>
        <translation>Entrar no Coupa…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="158"/>
        <location filename="../../po_downloader/ui/main_window.py" line="448"/>
        <source>Open results</source>
        <translation>Abrir resultados</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="159"/>
        <location filename="../../po_downloader/ui/main_window.py" line="445"/>
        <source>Open download folder</source>
        <translation>Abrir pasta de downloads</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="160"/>
        <location filename="../../po_downloader/ui/main_window.py" line="620"/>
        <source>Try the demo portal</source>
        <translation>Experimentar o portal de demonstração</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="182"/>
        <source>Workers:</source>
        <translation>Navegadores em paralelo:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="188"/>
        <source>How many browsers work in parallel</source>
        <translation>Quantos navegadores trabalham em paralelo</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="195"/>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="196"/>
        <location filename="../../po_downloader/ui/main_window.py" line="509"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="197"/>
        <source>Stop</source>
        <translation>Parar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="198"/>
        <source>Retry failed</source>
        <translation>Repetir POs com falha</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="214"/>
        <source>Filter by PO, supplier or message</source>
        <translation>Filtrar por PO, fornecedor ou mensagem</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="218"/>
        <source>All POs</source>
        <translation>Todos os POs</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="219"/>
        <source>Problems only</source>
        <translation>Somente com problemas</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="220"/>
        <source>In progress</source>
        <translation>Em andamento</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="221"/>
        <source>Done</source>
        <translation>Concluídos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="286"/>
        <source>A batch is running: stop it before opening another sheet</source>
        <translation>Há um lote em andamento: pare-o antes de abrir outra planilha</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="295"/>
        <source>{name}: {error}</source>
        <translation>{name}: {error}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="309"/>
        <source>{file} — PO column “{column}” ({reason}): {pos} POs to download, {dups} duplicate rows, {invalid} invalid rows, {done} already completed</source>
        <translation>{file} — coluna de PO “{column}” ({reason}): {pos} POs para baixar, {dups} linhas duplicadas, {invalid} linhas inválidas, {done} já concluídos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="314"/>
        <source>found by its header</source>
        <translation>encontrada pelo cabeçalho</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="316"/>
        <source>found by its values</source>
        <translation>encontrada pelos valores</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="336"/>
        <source>Cannot start: {problems}</source>
        <translation>Não é possível iniciar: {problems}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="347"/>
        <source>Preparing the batch…</source>
        <translation>Preparando o lote…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="364"/>
        <source>Could not start: {e}</source>
        <translation>Não foi possível iniciar: {e}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="390"/>
        <source>Stopping: finished downloads are kept…</source>
        <translation>Parando: os downloads concluídos são mantidos…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="422"/>
        <source>Running {target} of {requested} workers: {reason}</source>
        <translation>Usando {target} de {requested} navegadores: {reason}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="432"/>
        <source>Coupa asks you to sign in again ({message}). The batch is paused and resumes where it stopped once you have signed in.</source>
        <translation>O Coupa pede que você entre novamente ({message}). O lote está pausado e continua de onde parou assim que você entrar.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="435"/>
        <source>Sign in…</source>
        <translation>Entrar…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="435"/>
        <source>Stop the batch</source>
        <translation>Parar o lote</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="455"/>
        <source>The batch stopped with an error: {m}</source>
        <translation>O lote parou com um erro: {m}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="460"/>
        <source>{n} completed</source>
        <translation>{n} concluídos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="461"/>
        <source>{n} no attachments</source>
        <translation>{n} sem anexos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="464"/>
        <source>{n} need attention</source>
        <translation>{n} precisam de atenção</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="465"/>
        <source>{total} POs: {parts} — {size} in {time}</source>
        <translation>{total} POs: {parts} — {size} em {time}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="474"/>
        <source>stopped before the end</source>
        <translation>interrompido antes do fim</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="494"/>
        <source>{done} done · {failed} failed · {left} left · {rate:.1f} POs/min · {size} · ETA {eta}</source>
        <translation>{done} concluídos · {failed} com falha · {left} restantes · {rate:.1f} POs/min · {size} · conclusão em {eta}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="509"/>
        <source>Resume</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="516"/>
        <source>{n} workers</source>
        <translation>{n} navegadores</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="531"/>
        <source>Open folder</source>
        <translation>Abrir pasta</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="535"/>
        <source>Open in browser</source>
        <translation>Abrir no navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="536"/>
        <source>Copy URL</source>
        <translation>Copiar URL</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="537"/>
        <source>Retry</source>
        <translation>Tentar novamente</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="575"/>
        <source>Sign in in the browser window, then close it…</source>
        <translation>Inicie a sessão na janela do navegador e depois feche-a…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="585"/>
        <source>You chose an existing browser profile: sign in to Coupa with that browser itself.</source>
        <translation>Você escolheu um perfil de navegador existente: entre no Coupa usando esse próprio navegador.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="599"/>
        <source>The sign-in did not take: {detail}</source>
        <translation>A sessão não foi iniciada: {detail}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="600"/>
        <location filename="../../po_downloader/ui/main_window.py" line="611"/>
        <source>Try again…</source>
        <translation>Tentar novamente…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="604"/>
        <source>Signed in to Coupa</source>
        <translation>Sessão iniciada no Coupa</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="611"/>
        <source>Could not sign in: {e}</source>
        <translation>Não foi possível entrar: {e}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="617"/>
        <source>No Coupa address is configured yet. Try the bundled demo portal to see a batch work end to end, or enter your company&apos;s Coupa address in the settings.</source>
        <translation>Nenhum endereço do Coupa foi configurado ainda. Experimente o portal de demonstração incluído para ver um lote funcionar do início ao fim, ou informe o endereço do Coupa da sua empresa nas configurações.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="626"/>
        <source>Starting the demo portal and signing in…</source>
        <translation>Iniciando o portal de demonstração e entrando…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="640"/>
        <source>Demo portal running at {url}. The demo sheet is loaded: press Start.</source>
        <translation>Portal de demonstração em execução em {url}. A planilha de demonstração foi carregada: clique em Iniciar.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="649"/>
        <source>The demo could not start: {e}</source>
        <translation>Não foi possível iniciar a demonstração: {e}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="662"/>
        <source>Stop the batch?</source>
        <translation>Parar o lote?</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/main_window.py" line="663"/>
        <source>A batch is running. Stop it and close? Finished downloads are kept.</source>
        <translation>Há um lote em andamento. Pará-lo e fechar? Os downloads concluídos são mantidos.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/app.py" line="59"/>
        <source>Batch finished</source>
        <translation>Lote concluído</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="78"/>
        <source>Edge</source>
        <translation>Edge</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="79"/>
        <source>Chrome</source>
        <translation>Chrome</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="80"/>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="179"/>
        <source>Chromium</source>
        <translation>Chromium</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="86"/>
        <source>{browser} – {profile}</source>
        <translation>{browser} – {profile}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="105"/>
        <source>Settings</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="109"/>
        <source>po-downloader&apos;s own sign-in profile (recommended)</source>
        <translation>Perfil de sessão próprio do po-downloader (recomendado)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="122"/>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="131"/>
        <source>Hide browser windows</source>
        <translation>Ocultar as janelas do navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="132"/>
        <source>Untick to watch the browsers work, e.g. to see a problem.</source>
        <translation>Desmarque para ver os navegadores trabalhando, por exemplo, para investigar um problema.</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="143"/>
        <source>Coupa address:</source>
        <translation>Endereço do Coupa:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="144"/>
        <source>Download folder:</source>
        <translation>Pasta de downloads:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="145"/>
        <source>Browser:</source>
        <translation>Navegador:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="147"/>
        <source>Sign-in profile:</source>
        <translation>Perfil de sessão:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="148"/>
        <source>Attempts per PO:</source>
        <translation>Tentativas por PO:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="149"/>
        <source>Page timeout:</source>
        <translation>Tempo limite da página:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="150"/>
        <source>Download timeout:</source>
        <translation>Tempo limite do download:</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="172"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="177"/>
        <source>Microsoft Edge</source>
        <translation>Microsoft Edge</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="178"/>
        <source>Google Chrome</source>
        <translation>Google Chrome</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="182"/>
        <source>{browser} (installed)</source>
        <translation>{browser} (instalado)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="183"/>
        <source>{browser} (not found on this computer)</source>
        <translation>{browser} (não encontrado neste computador)</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="207"/>
        <source>Other – {profile} in {folder}</source>
        <translation>Outro – {profile} em {folder}</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="242"/>
        <source>Choose the download folder</source>
        <translation>Escolha a pasta de downloads</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="276"/>
        <source>Settings not saved</source>
        <translation>Configurações não salvas</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/settings_dialog.py" line="277"/>
        <source>The settings apply until you quit, but could not be saved:
{error}</source>
        <translation>As configurações valem até você fechar o aplicativo, mas não puderam ser salvas:
{error}</translation>
    </message>
</context>
<context>
    <name>Size</name>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="38"/>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="39"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="40"/>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="52"/>
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
</context>
<context>
    <name>TaskTableModel</name>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="119"/>
        <source>PO</source>
        <translation>PO</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="120"/>
        <source>Supplier</source>
        <translation>Fornecedor</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="121"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="122"/>
        <source>Files</source>
        <translation>Arquivos</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="123"/>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="124"/>
        <source>Worker</source>
        <translation>Navegador</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="125"/>
        <source>Attempts</source>
        <translation>Tentativas</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="126"/>
        <source>Message</source>
        <translation>Mensagem</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="127"/>
        <source>Folder</source>
        <translation>Pasta</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="329"/>
        <source>Retry %1 in %2s: %3</source>
        <translation>Nova tentativa (%1) em %2 s: %3</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/task_model.py" line="336"/>
        <source>Worker stopped unexpectedly</source>
        <translation>O navegador parou inesperadamente</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="37"/>
        <source>Show window</source>
        <translation>Mostrar janela</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="39"/>
        <location filename="../../po_downloader/ui/tray.py" line="86"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="41"/>
        <source>Quit</source>
        <translation>Sair</translation>
    </message>
    <message>
        <location filename="../../po_downloader/ui/tray.py" line="86"/>
        <source>Resume</source>
        <translation>Continuar</translation>
    </message>
</context>
</TS>
