# macOS: lorastudio.app (MACOSX_BUNDLE, Info.plist from macos/Info.plist.in declaring the project
# document type) made self-contained by macdeployqt, then a drag-and-drop DMG. Written for
# .github/workflows/macos.yml and never run: no Mac was available.
set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "LoRA Studio ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT "UDZO")
set(CPACK_PACKAGE_FILE_NAME "lorastudio-${PROJECT_VERSION}-macos-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_PACKAGE_ICON "${PROJECT_SOURCE_DIR}/resources/icons/lorastudio.icns")

# Qt frameworks and plugins into the bundle; LibTorch's dylibs (libc10, libtorch_cpu, libomp) go to
# Contents/Frameworks too: macdeployqt follows the @rpath links it can resolve with -libpath.
if(TARGET lorastudio)
  get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
  get_filename_component(_qt_bin "${_qmake}" DIRECTORY)
  find_program(LORASTUDIO_MACDEPLOYQT macdeployqt HINTS "${_qt_bin}" REQUIRED)
  install(CODE "
    execute_process(COMMAND \"${LORASTUDIO_MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/lorastudio.app\"
                            -executable=\${CMAKE_INSTALL_PREFIX}/lorastudio.app/Contents/MacOS/lorastudio-cli
                            -libpath=${TORCH_INSTALL_PREFIX}/lib -always-overwrite -verbose=1
                    RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR \"macdeployqt failed: \${_rc}\")
    endif()")
endif()
