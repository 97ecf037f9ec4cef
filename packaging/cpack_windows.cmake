# Windows: an NSIS installer. The install tree is made complete by windeployqt (Qt DLLs, platform
# plugin) and by copying LibTorch's DLLs next to the executables (install(CODE) below). Written for
# .github/workflows/windows.yml and never run: no Windows machine was available.
set(CPACK_GENERATOR "NSIS")
set(CPACK_NSIS_PACKAGE_NAME "LoRA Studio ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "LoRA Studio")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/lorastudio.ico")
set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/lorastudio.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\lorastudio.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH ON)                           # offers to put bin\ (lorastudio-cli) on PATH
set(CPACK_NSIS_URL_INFO_ABOUT "${CPACK_PACKAGE_HOMEPAGE_URL}")
set(CPACK_PACKAGE_FILE_NAME "lorastudio-${PROJECT_VERSION}-windows-x64")

# Windows decides by the last extension only (".yaml"), so a *.lorastudio.yaml association is not
# possible; the installer registers "Open with LoRA Studio" for .yaml instead of taking it over.
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "
  WriteRegStr HKCR 'LoRAStudio.Project' '' 'LoRA Studio project'
  WriteRegStr HKCR 'LoRAStudio.Project\\\\DefaultIcon' '' '$INSTDIR\\\\bin\\\\lorastudio.exe,0'
  WriteRegStr HKCR 'LoRAStudio.Project\\\\shell\\\\open\\\\command' '' '\\\"$INSTDIR\\\\bin\\\\lorastudio.exe\\\" \\\"%1\\\"'
  WriteRegStr HKCR '.yaml\\\\OpenWithProgids' 'LoRAStudio.Project' ''
  WriteRegStr HKCR '.yml\\\\OpenWithProgids' 'LoRAStudio.Project' ''
")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "
  DeleteRegKey HKCR 'LoRAStudio.Project'
  DeleteRegValue HKCR '.yaml\\\\OpenWithProgids' 'LoRAStudio.Project'
  DeleteRegValue HKCR '.yml\\\\OpenWithProgids' 'LoRAStudio.Project'
")

# Qt's DLLs and plugins next to lorastudio.exe; LibTorch's DLLs (c10, torch_cpu, ..., from the
# official archive: TORCH_INSTALL_PREFIX/lib) beside them. Runs at `cmake --install` and so for cpack.
if(TARGET lorastudio)
  get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
  get_filename_component(_qt_bin "${_qmake}" DIRECTORY)
  find_program(LORASTUDIO_WINDEPLOYQT windeployqt HINTS "${_qt_bin}" REQUIRED)
  install(CODE "
    execute_process(COMMAND \"${LORASTUDIO_WINDEPLOYQT}\" --release --no-compiler-runtime --no-opengl-sw
                            --dir \"\${CMAKE_INSTALL_PREFIX}/bin\" \"\${CMAKE_INSTALL_PREFIX}/bin/lorastudio.exe\"
                    RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR \"windeployqt failed: \${_rc}\")
    endif()")
endif()
file(GLOB LORASTUDIO_TORCH_DLLS "${TORCH_INSTALL_PREFIX}/lib/*.dll")
install(FILES ${LORASTUDIO_TORCH_DLLS} DESTINATION ${CMAKE_INSTALL_BINDIR})
# The DLLs of the vcpkg libraries (yaml-cpp, pcre2, utf8proc); VCPKG_INSTALLED_DIR comes from
# vcpkg's toolchain file.
if(DEFINED VCPKG_INSTALLED_DIR AND DEFINED VCPKG_TARGET_TRIPLET)
  file(GLOB LORASTUDIO_VCPKG_DLLS "${VCPKG_INSTALLED_DIR}/${VCPKG_TARGET_TRIPLET}/bin/*.dll")
  install(FILES ${LORASTUDIO_VCPKG_DLLS} DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
# The MSVC runtime (vcruntime140.dll, msvcp140.dll, ...) for machines without the redistributable.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION ${CMAKE_INSTALL_BINDIR})
include(InstallRequiredSystemLibraries)
