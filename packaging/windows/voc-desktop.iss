; Inno Setup 6 script: a per-user installer for the Windows build of VOC Desktop.
;
;   python packaging\build.py                 (makes dist\voc-desktop\ and runs this when
;                                              iscc is on PATH)
;   iscc /DAppVersion=0.1.0 packaging\windows\voc-desktop.iss
;
; Installs into %LOCALAPPDATA%\Programs\VOC Desktop without administrator rights, adds a
; Start-menu entry, opens .vocbundle files with the app, and registers an uninstaller in
; Settings > Apps. The workspace (%LOCALAPPDATA%\VOC Desktop) is never touched.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "VOC Desktop"
#define AppExe "voc-desktop.exe"
#define ProgId "VocDesktop.Bundle"

[Setup]
; the id ties updates and the uninstaller to one app: never change it
AppId={{BD23F90C-69D9-5F31-9C72-896218FDFA9F}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=VOC Desktop
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
SetupIconFile=voc-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=voc-desktop-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; a running copy keeps its files open; ask it to close rather than fail half-way
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\voc-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "vocbundle.ico"; DestDir: "{app}"; Flags: ignoreversion

[InstallDelete]
; an update replaces the bundled libraries whole, so no file of an older version lingers
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Guided customer visits"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .vocbundle -> VocDesktop.Bundle -> "voc-desktop.exe" "%1" (HKA is the user's own hive here)
Root: HKA; Subkey: "Software\Classes\.vocbundle"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.vocbundle"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-vocbundle"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.vocbundle\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "VOC Desktop bundle"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\vocbundle.ico"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".vocbundle"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
