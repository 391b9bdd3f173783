; The per-user installer of smgov-desk (Inno Setup 6): an officer runs it without administrator
; rights. It installs into %LOCALAPPDATA%\Programs\GovSK\smgov-desk, adds a Start-menu shortcut
; (and, if ticked, one on the desktop), and its uninstaller (Settings > Apps) removes the program
; only: the person's data in %LOCALAPPDATA%\GovSK\smgov-desk (database, backups, settings, log)
; stays. IT departments deploying to many computers use the MSI (smgov-desk.wxs) instead.
;
; Built by installer\build-windows.ps1, which passes the version from pyproject.toml:
;   ISCC.exe /DAppVersion=0.1.0 installer\smgov-desk.iss
; Optional: /DBundleDir=<the PyInstaller folder> (default ..\dist\smgov-desk),
;           /DOutputDir=<where the setup goes> (default ..\dist),
;           /DSign /Ssmgovsign="<signtool command>" to sign the setup and its uninstaller.
; Relative paths are relative to this file's folder.

#ifndef AppVersion
  #error Pass the version: ISCC.exe /DAppVersion=X.Y.Z (installer\build-windows.ps1 does)
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\smgov-desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "Social Media Governance Desk"
#define AppExe "smgov-desk.exe"
#define DataFolder "{localappdata}\GovSK\smgov-desk"

[Setup]
; The per-user installation's identity (not the MSI's UpgradeCode): keep it for every release,
; so a new setup upgrades the installed one in place.
AppId={{7131BD9D-A766-4C18-8C53-D49865352CB9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Government of Saskatchewan
AppComments=Governs the official social media accounts of the ministries by the social media policy.
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; No administrator rights: {autopf} is then %LOCALAPPDATA%\Programs and {autoprograms} the
; person's own Start menu.
PrivilegesRequired=lowest
DefaultDirName={autopf}\GovSK\smgov-desk
DisableDirPage=auto
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=smgov-desk-{#AppVersion}-setup
SetupIconFile=app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; A running copy is closed (and restarted) by the Restart Manager during an upgrade.
CloseApplications=yes
RestartApplications=yes
#ifdef Sign
SignTool=smgovsign
SignedUninstaller=yes
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Govern the official social media accounts by the social media policy"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { The data folder is never part of the installation, so it is never removed: say where it is. }
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('{#AppName} was removed. Your data is kept in ' +
      ExpandConstant('{#DataFolder}') + ': the database, its backups, your settings and the ' +
      'log. Delete that folder yourself only if you no longer need that data.',
      mbInformation, MB_OK);
end;
