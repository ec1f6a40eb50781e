; Windows installer of CTMTQG Desktop (NSIS 3, Unicode). Compile with:
;   makensis -DPAYLOAD=dist\ctmtqg-desktop -DVERSION=0.1.0 -DOUTFILE=CTMTQG-Desktop-0.1.0-cai-dat.exe packaging\ctmtqg.nsi
; (.github/workflows/windows.yml does it on Windows; .ci/run compiles it on Linux with the
; Linux bundle standing in for the payload, which checks the script, not the program).
;
; What it does, for a commune officer without administrator rights:
; * installs for this user only, in %LOCALAPPDATA%\Programs\CTMTQG Desktop (no UAC prompt);
; * Start-menu and desktop shortcuts in Vietnamese; .ctsync and .ctenroll open the program
;   (per-user file associations under HKCU\Software\Classes);
; * installing a newer version over an older one replaces the program only: the data lives
;   in %LOCALAPPDATA%\ctmtqg-desktop\workspace, which the installer never touches, and the
;   program backs the data up itself before upgrading it (services/backups.py);
; * uninstalling removes the program, its shortcuts and associations, never the data.
; The file is UTF-8 (Unicode true): Vietnamese text is written as it is.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
!ifdef NOCOMPRESS  ; a check of the script (CI on Linux): no time spent compressing
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef PAYLOAD
  !error "Give the bundle folder: makensis -DPAYLOAD=dist\ctmtqg-desktop ..."
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "CTMTQG-Desktop-${VERSION}-cai-dat.exe"
!endif

!define PRODUCT "CTMTQG Desktop"
!define SHORTCUT "CTMTQG - Chương trình mục tiêu quốc gia"
!define GUI_EXE "ctmtqg-desktop.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CTMTQGDesktop"
!define CLASSES "Software\Classes"
; where the program keeps the user's data (store/locations.py: platformdirs user_data_path)
!define DATA_DIR "$LOCALAPPDATA\ctmtqg-desktop"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1066 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1066 "FileDescription" "Cài đặt ${PRODUCT}"
VIAddVersionKey /LANG=1066 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "LegalCopyright" "Phần mềm ${PRODUCT}"

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "ctmtqg.ico"
!define MUI_UNICON "ctmtqg.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "Chương trình sẽ cài ${PRODUCT} ${VERSION} cho tài khoản Windows này (không cần quyền quản trị).$\r$\n$\r$\nNếu máy đã có phiên bản cũ, chỉ phần mềm được thay; dữ liệu của xã được giữ nguyên và được phần mềm tự sao lưu trước khi nâng cấp.$\r$\n$\r$\nHãy đóng ${PRODUCT} (nếu đang mở) rồi bấm Tiếp."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${PRODUCT} ngay"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

!macro Associate EXT CLASS DESCRIPTION
  WriteRegStr HKCU "${CLASSES}\${EXT}" "" "${CLASS}"
  WriteRegStr HKCU "${CLASSES}\${CLASS}" "" "${DESCRIPTION}"
  WriteRegStr HKCU "${CLASSES}\${CLASS}\DefaultIcon" "" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${CLASSES}\${CLASS}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
!macroend

!macro Dissociate EXT CLASS
  ; only when the extension still points at us (another program may have taken it since)
  ReadRegStr $0 HKCU "${CLASSES}\${EXT}" ""
  ${If} $0 == "${CLASS}"
    DeleteRegKey HKCU "${CLASSES}\${EXT}"
  ${EndIf}
  DeleteRegKey HKCU "${CLASSES}\${CLASS}"
!macroend

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

; An open program keeps its files locked: say so instead of failing half-way.
!macro RefuseWhileRunning
  ${Do}
    ${IfNot} ${FileExists} "$INSTDIR\${GUI_EXE}"
      ${Break}
    ${EndIf}
    ClearErrors
    FileOpen $0 "$INSTDIR\${GUI_EXE}" a
    ${IfNot} ${Errors}
      FileClose $0
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${PRODUCT} đang mở. Hãy đóng phần mềm rồi bấm Thử lại." /SD IDCANCEL IDRETRY +2
    Abort
  ${Loop}
!macroend

Section "${PRODUCT}" main
  SectionIn RO
  !insertmacro RefuseWhileRunning
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the whole program folder (no stale libraries of the old version);
  ; the data is elsewhere (${DATA_DIR}) and is never touched here
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD}\*.*"
  File "ctmtqg.ico"
  WriteUninstaller "$INSTDIR\Gỡ cài đặt.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${SHORTCUT}.lnk" "$INSTDIR\${GUI_EXE}" "" \
      "$INSTDIR\ctmtqg.ico" 0 SW_SHOWNORMAL "" "Theo dõi thực hiện các chương trình mục tiêu quốc gia"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Thư mục dữ liệu và bản sao lưu.lnk" "$WINDIR\explorer.exe" \
      '"${DATA_DIR}\workspace"' "$WINDIR\explorer.exe" 0
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Gỡ cài đặt ${PRODUCT}.lnk" "$INSTDIR\Gỡ cài đặt.exe"
  CreateShortcut "$DESKTOP\${SHORTCUT}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\ctmtqg.ico" 0

  !insertmacro Associate ".ctsync" "CTMTQG.GoiDongBo" "Gói đồng bộ CTMTQG"
  !insertmacro Associate ".ctenroll" "CTMTQG.TepGhiDanh" "Tệp ghi danh CTMTQG"
  ; tell Explorer the associations changed (SHCNE_ASSOCCHANGED)
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\ctmtqg.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Gỡ cài đặt.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  !insertmacro RefuseWhileRunning
  ; the program only: ${DATA_DIR} (the commune's records, attached files, keys and
  ; backups) stays, whatever happens
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\ctmtqg.exe"
  Delete "$INSTDIR\ctmtqg-desktop"
  Delete "$INSTDIR\ctmtqg"
  Delete "$INSTDIR\ctmtqg.ico"
  Delete "$INSTDIR\Gỡ cài đặt.exe"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${PRODUCT}\*.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  Delete "$DESKTOP\${SHORTCUT}.lnk"

  !insertmacro Dissociate ".ctsync" "CTMTQG.GoiDongBo"
  !insertmacro Dissociate ".ctenroll" "CTMTQG.TepGhiDanh"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKCU "${UNINSTALL_KEY}"

  MessageBox MB_OK|MB_ICONINFORMATION "Đã gỡ ${PRODUCT}. Dữ liệu của xã và các bản sao lưu vẫn được giữ tại ${DATA_DIR}; cài lại phần mềm để dùng tiếp." /SD IDOK
SectionEnd
