# Linux: a Debian package whose Depends come from Debian's own packages (dpkg-shlibdeps reads the
# shared libraries the binaries link: Qt 6, LibTorch 1.13, yaml-cpp, ...). The self-contained
# tarball is not a CPack generator: packaging/make_bundle.sh builds it from `cmake --install`.
set(CPACK_GENERATOR "DEB")
# lorastudio_<version>_<distribution><release>_<arch>.deb, e.g. lorastudio_0.1.0_debian12_amd64.deb:
# its Depends name that release's packages, so packages built on Debian 12 and 13 sit side by side.
set(_distro "linux")
if(EXISTS /etc/os-release)
  file(STRINGS /etc/os-release _os_id REGEX "^ID=")
  file(STRINGS /etc/os-release _os_version REGEX "^VERSION_ID=")
  string(REGEX REPLACE "^ID=\"?([^\"]*)\"?$" "\\1" _os_id "${_os_id}")
  string(REGEX REPLACE "^VERSION_ID=\"?([^\"]*)\"?$" "\\1" _os_version "${_os_version}")
  if(_os_id)
    set(_distro "${_os_id}${_os_version}")
  endif()
endif()
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE _deb_arch OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT _deb_arch)
  set(_deb_arch "${CMAKE_SYSTEM_PROCESSOR}")
endif()
set(CPACK_DEBIAN_FILE_NAME "${CPACK_PACKAGE_NAME}_${PROJECT_VERSION}_${_distro}_${_deb_arch}.deb")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)                  # needs dpkg-shlibdeps (dpkg-dev)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# LibTorch falls back to the reference BLAS without OpenBLAS (30x slower matmuls on a CPU).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")
# The studio shows icons and opens *.lorastudio.yaml through these; they refresh their caches by
# dpkg triggers, so the package needs no maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "shared-mime-info, desktop-file-utils, hicolor-icon-theme")
