<#
.SYNOPSIS
    Builds the Windows release of smgov-desk: the one-folder app, the per-user setup
    (Inno Setup) and the machine-wide MSI (WiX Toolset 3), signed when asked.

.DESCRIPTION
    Run it from a PowerShell prompt on Windows 10/11 or Windows Server 2022, x64:

        powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1

    It needs Python 3.11 x64 (the py launcher, or -Python), WiX Toolset 3.14 (heat, candle,
    light) and Inno Setup 6.3 or later; to sign, signtool.exe from the Windows SDK and a
    code-signing certificate. installer\README.md says where to get each.

    Steps: a clean venv in build\windows\venv with the app and PyInstaller installed from this
    checkout (not editable); PyInstaller builds dist\smgov-desk\ from installer\smgov-desk.spec;
    the frozen app's version, self-test and one PDF report are checked; the programs are
    signed; heat harvests the folder and candle + light build the MSI; ISCC builds the setup.

    Output in dist\:
        smgov-desk\                   the app (smgov-desk.exe, smgov.exe, _internal\)
        smgov-desk-X.Y.Z-setup.exe    per-user installer, no administrator rights
        smgov-desk-X.Y.Z.msi          machine-wide MSI for SCCM, Intune or Group Policy
        SHA256SUMS.txt                checksums of the two installers
        release-info.txt              the MSI's ProductCode, install and detection lines

.PARAMETER Sign
    Sign smgov-desk.exe, smgov.exe, the setup, its uninstaller and the MSI.
.PARAMETER CertificateThumbprint
    SHA-1 thumbprint of the code-signing certificate in the Windows certificate store
    (CurrentUser\My; a hardware token or cloud HSM shows its certificate there).
    Default: $env:SMGOV_SIGN_THUMBPRINT.
.PARAMETER CertificateFile
    A .pfx file instead; its password is read from $env:SMGOV_SIGN_PASSWORD.
    Default: $env:SMGOV_SIGN_PFX.
.PARAMETER TimestampUrl
    RFC 3161 time-stamp server, so signatures outlive the certificate.
    Default: $env:SMGOV_TIMESTAMP_URL, else http://timestamp.digicert.com.
.PARAMETER Python
    Path of the python.exe (3.11, 64-bit) to build with. Default: py -3.11.
.PARAMETER SkipChecks
    Do not run the frozen app's self-test and report (they take about a minute).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
.EXAMPLE
    $env:SMGOV_SIGN_THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567"
    powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 -Sign
#>
[CmdletBinding()]
param(
    [switch]$Sign,
    [string]$CertificateThumbprint = $env:SMGOV_SIGN_THUMBPRINT,
    [string]$CertificateFile = $env:SMGOV_SIGN_PFX,
    [string]$TimestampUrl = $(if ($env:SMGOV_TIMESTAMP_URL) { $env:SMGOV_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }),
    [string]$Python = "",
    [switch]$SkipChecks
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"
$ProgressPreference = "SilentlyContinue"

$Root = Split-Path -Parent $PSScriptRoot
$Installer = Join-Path $Root "installer"
$Dist = Join-Path $Root "dist"
$Work = Join-Path $Root "build\windows"
$Bundle = Join-Path $Dist "smgov-desk"

function Invoke-Tool {
    # Runs a program and stops the build when it fails; -Secret keeps its arguments out of the log.
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @(),
        [switch]$Secret
    )
    if ($Secret) { Write-Host "> $FilePath (arguments hidden)" }
    else { Write-Host "> $FilePath $($ArgumentList -join ' ')" }
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "$(Split-Path -Leaf $FilePath) failed with exit code $LASTEXITCODE" }
}

function Find-Tool {
    # The first of: the program on PATH, then the usual install folders.
    param([Parameter(Mandatory)][string]$Name, [string[]]$Candidates = @(), [string]$Hint = "")
    $onPath = Get-Command $Name -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    foreach ($candidate in $Candidates) {
        if ($candidate -and (Test-Path -LiteralPath $candidate)) { return $candidate }
    }
    throw "$Name was not found. $Hint (see installer\README.md)"
}

function Find-WixTool([string]$Name) {
    $folders = @()
    if ($env:WIX) { $folders += (Join-Path $env:WIX "bin") }
    $folders += "${env:ProgramFiles(x86)}\WiX Toolset v3.14\bin", "${env:ProgramFiles(x86)}\WiX Toolset v3.11\bin"
    return Find-Tool $Name ($folders | ForEach-Object { Join-Path $_ $Name }) "Install WiX Toolset 3.14."
}

function Find-SignTool {
    $kits = "${env:ProgramFiles(x86)}\Windows Kits\10\bin"
    $found = @()
    if (Test-Path $kits) {
        # bin\<SDK version>\x64\signtool.exe: the newest SDK first.
        $found = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
            Where-Object { $_.Directory.Name -eq "x64" -and $_.Directory.Parent.Name -match '^\d+(\.\d+)+$' } |
            Sort-Object { [version]$_.Directory.Parent.Name } -Descending |
            ForEach-Object { $_.FullName }
    }
    return Find-Tool "signtool.exe" $found "Install the Windows SDK (its Signing Tools)."
}

function Get-SignArguments {
    # signtool's options for our certificate: SHA-256 file digest and RFC 3161 time stamp.
    $arguments = @("sign", "/fd", "SHA256", "/tr", $TimestampUrl, "/td", "SHA256",
        "/d", "Social Media Governance Desk")
    if ($CertificateThumbprint) {
        $arguments += @("/sha1", ($CertificateThumbprint -replace '\s', ''))
    } elseif ($CertificateFile) {
        if (-not $env:SMGOV_SIGN_PASSWORD) { throw "Set SMGOV_SIGN_PASSWORD to the password of $CertificateFile." }
        $arguments += @("/f", $CertificateFile, "/p", $env:SMGOV_SIGN_PASSWORD)
    } else {
        throw "-Sign needs a certificate: -CertificateThumbprint (or SMGOV_SIGN_THUMBPRINT) or -CertificateFile (or SMGOV_SIGN_PFX)."
    }
    return $arguments
}

Push-Location $Root
try {
    # -- tools -------------------------------------------------------------------------------
    if ($Python) { $PythonExe = $Python }
    else {
        $launcher = Find-Tool "py.exe" @("$env:SystemRoot\py.exe", "$env:LOCALAPPDATA\Programs\Python\Launcher\py.exe") "Install Python 3.11 (64-bit) from python.org."
        $PythonExe = (& $launcher -3.11 -c "import sys; print(sys.executable)").Trim()
        if ($LASTEXITCODE -ne 0) { throw "Python 3.11 is not installed (py -3.11 failed)." }
    }
    Invoke-Tool $PythonExe @("-c", "import struct, sys; assert sys.version_info >= (3, 11) and struct.calcsize('P') == 8, 'Python 3.11 or later, 64-bit, is needed'")
    $Heat = Find-WixTool "heat.exe"
    $Candle = Find-WixTool "candle.exe"
    $Light = Find-WixTool "light.exe"
    $Iscc = Find-Tool "ISCC.exe" @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe", "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") "Install Inno Setup 6.3 or later."
    if ($Sign) {
        $SignTool = Find-SignTool
        $SignArguments = Get-SignArguments
    }

    # -- version -----------------------------------------------------------------------------
    $Version = (& $PythonExe -c "import sys, tomllib; print(tomllib.load(open(sys.argv[1], 'rb'))['project']['version'])" (Join-Path $Root "pyproject.toml")).Trim()
    if ($Version -notmatch '^\d+\.\d+\.\d+$') {
        throw "pyproject.toml's version '$Version' is not X.Y.Z: Windows Installer versions are three numbers."
    }
    Write-Host "Building smgov-desk $Version"

    # -- a clean venv with the app (not editable) and PyInstaller ------------------------------
    if (Test-Path $Work) { Remove-Item -Recurse -Force $Work }
    if (Test-Path $Bundle) { Remove-Item -Recurse -Force $Bundle }
    New-Item -ItemType Directory -Force -Path $Work, $Dist | Out-Null
    $Venv = Join-Path $Work "venv"
    Invoke-Tool $PythonExe @("-m", "venv", $Venv)
    $VenvPython = Join-Path $Venv "Scripts\python.exe"
    Invoke-Tool $VenvPython @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
    Invoke-Tool $VenvPython @("-m", "pip", "install", "--quiet", ("{0}[freeze]" -f $Root))

    # -- the one-folder app --------------------------------------------------------------------
    Invoke-Tool $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean",
        "--distpath", $Dist, "--workpath", (Join-Path $Work "pyinstaller"),
        (Join-Path $Installer "smgov-desk.spec"))
    $Smgov = Join-Path $Bundle "smgov.exe"
    $reported = (& $Smgov --version | Out-String).Trim()
    if ($reported -ne "smgov-desk $Version") { throw "smgov.exe --version said '$reported', not 'smgov-desk $Version'." }

    if (-not $SkipChecks) {
        # The frozen app on its own files, in a throwaway home (never the builder's data).
        $check = Join-Path $Work "check"
        New-Item -ItemType Directory -Force -Path $check | Out-Null
        $savedHome = $env:SMGOV_HOME
        $env:SMGOV_HOME = Join-Path $check "home"
        try {
            Invoke-Tool $Smgov @("self-test")
            $demo = Join-Path $check "demo.sqlite3"
            Invoke-Tool $Smgov @("--db", $demo, "demo", "--as-of", "2026-11-18T09:00-06:00")
            # The builder is not in the demo data: act as its administrator (login "admin").
            Invoke-Tool $Smgov @("--db", $demo, "--as", "admin", "report", "portfolio", "--period", "2026H1",
                "--as-of", "2026-11-18T09:00-06:00", "-o", (Join-Path $check "portfolio.pdf"))
        } finally {
            $env:SMGOV_HOME = $savedHome
        }
    }

    if ($Sign) {
        Invoke-Tool $SignTool ($SignArguments + @((Join-Path $Bundle "smgov-desk.exe"), $Smgov)) -Secret
    }

    # -- the MSI (WiX 3): harvest the folder, compile, link ------------------------------------
    $Wix = Join-Path $Work "wix"
    New-Item -ItemType Directory -Force -Path $Wix | Out-Null
    $Files = Join-Path $Wix "files.wxs"
    Invoke-Tool $Heat @("dir", $Bundle, "-nologo", "-cg", "AppFiles", "-dr", "INSTALLDIR",
        "-var", "var.SourceDir", "-ag", "-srd", "-sfrag", "-sreg", "-scom", "-out", $Files)
    $defines = @("-arch", "x64", "-dVersion=$Version", "-dSourceDir=$Bundle",
        "-dIconFile=$(Join-Path $Installer 'app.ico')", "-dWin64=yes")
    Invoke-Tool $Candle (@("-nologo") + $defines + @("-out", (Join-Path $Wix "smgov-desk.wixobj"),
        (Join-Path $Installer "smgov-desk.wxs")))
    Invoke-Tool $Candle (@("-nologo") + $defines + @("-out", (Join-Path $Wix "files.wixobj"), $Files))
    $Msi = Join-Path $Dist "smgov-desk-$Version.msi"
    Invoke-Tool $Light @("-nologo", "-spdb", "-out", $Msi,
        (Join-Path $Wix "smgov-desk.wixobj"), (Join-Path $Wix "files.wixobj"))
    if ($Sign) { Invoke-Tool $SignTool ($SignArguments + @($Msi)) -Secret }

    # -- the per-user setup (Inno Setup) -------------------------------------------------------
    $IsccArguments = @("/Q", "/DAppVersion=$Version", "/DBundleDir=$Bundle", "/DOutputDir=$Dist")
    if ($Sign) {
        # ISCC replaces $f with the quoted file and $q with a quote; it signs the uninstaller too.
        $command = '$q' + $SignTool + '$q ' + (($SignArguments | ForEach-Object {
            if ($_ -match '\s') { '$q' + $_ + '$q' } else { $_ } }) -join ' ') + ' $f'
        $IsccArguments += @("/DSign", "/Ssmgovsign=$command")
    }
    Invoke-Tool $Iscc ($IsccArguments + @((Join-Path $Installer "smgov-desk.iss"))) -Secret:$Sign
    $Setup = Join-Path $Dist "smgov-desk-$Version-setup.exe"

    # -- checksums and what IT's deployment tools ask for ----------------------------------------
    $sums = foreach ($file in @($Setup, $Msi)) {
        "{0}  {1}" -f (Get-FileHash -Algorithm SHA256 -LiteralPath $file).Hash.ToLower(), (Split-Path -Leaf $file)
    }
    Set-Content -Path (Join-Path $Dist "SHA256SUMS.txt") -Value $sums -Encoding ascii
    $msiApi = New-Object -ComObject WindowsInstaller.Installer
    $database = $msiApi.GetType().InvokeMember("OpenDatabase", "InvokeMethod", $null, $msiApi, @($Msi, 0))
    $properties = @{}
    foreach ($name in @("ProductCode", "UpgradeCode", "ProductVersion")) {
        $view = $database.GetType().InvokeMember("OpenView", "InvokeMethod", $null, $database,
            @("SELECT ``Value`` FROM ``Property`` WHERE ``Property`` = '$name'"))
        $view.GetType().InvokeMember("Execute", "InvokeMethod", $null, $view, $null)
        $record = $view.GetType().InvokeMember("Fetch", "InvokeMethod", $null, $view, $null)
        $properties[$name] = $record.GetType().InvokeMember("StringData", "GetProperty", $null, $record, 1)
        $view.GetType().InvokeMember("Close", "InvokeMethod", $null, $view, $null)
    }
    [void][Runtime.InteropServices.Marshal]::ReleaseComObject($database)
    $info = @(
        "smgov-desk $Version",
        "MSI ProductCode: $($properties.ProductCode)",
        "MSI UpgradeCode: $($properties.UpgradeCode)",
        "Install: msiexec /i $(Split-Path -Leaf $Msi) /qn /norestart",
        "Uninstall: msiexec /x $($properties.ProductCode) /qn /norestart",
        "Detection: HKLM\SOFTWARE\GovSK\smgov-desk, Version = $Version",
        "SHA-256:"
    ) + $sums
    Set-Content -Path (Join-Path $Dist "release-info.txt") -Value $info -Encoding ascii
    $info | ForEach-Object { Write-Host $_ }
    $size = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Property Length -Sum).Sum / 1MB
    Write-Host ("Done: {0} ({1:N0} MB installed), {2}, {3}" -f $Bundle, $size, $Setup, $Msi)
} finally {
    Pop-Location
}
