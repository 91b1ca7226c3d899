; Inno Setup 6 script for PO Downloader: a per-user installer (no admin rights) of the one-folder app
; that `python build_spec.py` writes to dist\PO Downloader\.
;
;   iscc /DAppVersion=0.1.0 installer\windows\po-downloader.iss
;
; AppVersion comes from `python installer\version.py` (po_downloader/__init__.py is the one source); the
; GitHub workflow passes it. The installer lands in dist\installer\PO-Downloader-<version>-windows-setup.exe.
; Paths are relative to this file.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=<version from installer\version.py> po-downloader.iss
#endif

#define AppName "PO Downloader"
#define AppExe "PO Downloader.exe"
#define ProgId "PODownloader.Sheet"

[Setup]
; Never change AppId: it is how Windows knows an upgrade from a second, separate install.
AppId={{6F1C2B9E-3D4A-4E8B-9C57-2A1E5D0B7F43}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=po-downloader
; The running app holds this named mutex (po_downloader/__main__.py creates it on Windows): Setup and
; Uninstall see it and ask the user to close the app first instead of failing on files in use.
AppMutex=PODownloaderRunning
; Per user: no UAC prompt, installs under %LOCALAPPDATA%\Programs, registry under HKCU.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=PO-Downloader-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\po-downloader.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ptbr"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; Everything the app needs is in its folder: Python, Qt, Selenium (with Selenium Manager for Edge's driver).
Source: "..\..\dist\{#AppName}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; "Open with > PO Downloader" for .csv and .xlsx, without taking the default away from Excel.
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueData: "PO list for {#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.csv\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.xlsx\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".csv"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".xlsx"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Uninstall removes exactly what [Files] installed, the shortcuts and the registry keys above. Downloads
; (wherever the user chose) and the settings, sign-in profile and logs under %LOCALAPPDATA%\po-downloader
; are left alone, unless the user asks for the settings to go (below).
[UninstallDelete]
Type: dirifempty; Name: "{app}"

[Code]
{ Optional removal of settings: asked once at uninstall, default No. Downloads are never touched. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  SettingsDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    { platformdirs puts config, data (the sign-in profile), cache and logs under this folder. }
    SettingsDir := ExpandConstant('{localappdata}\po-downloader');
    if DirExists(SettingsDir) and not UninstallSilent() then
      if MsgBox('Also remove your PO Downloader settings, sign-in profile and logs?' + #13#10 +
                '(' + SettingsDir + ')' + #13#10#13#10 +
                'Your downloaded files are kept either way.',
                mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(SettingsDir, True, True, True);
  end;
end;
