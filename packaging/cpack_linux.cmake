# Linux: a Debian package whose Depends come from Debian's own packages (dpkg-shlibdeps reads the
# shared libraries the binaries link: Qt 6, LibTorch 1.13, yaml-cpp, ...). The self-contained
# tarball is not a CPack generator: packaging/make_bundle.sh builds it from `cmake --install`.
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)                 # lorastudio_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)                  # needs dpkg-shlibdeps (dpkg-dev)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# LibTorch falls back to the reference BLAS without OpenBLAS (30x slower matmuls on a CPU).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")
# The studio shows icons and opens *.lorastudio.yaml through these; they refresh their caches by
# dpkg triggers, so the package needs no maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "shared-mime-info, desktop-file-utils, hicolor-icon-theme")
