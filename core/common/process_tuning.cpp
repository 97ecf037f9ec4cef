// See process_tuning.h.
#include "common/process_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace lorastudio {

void tuneProcessMemory() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

} // namespace lorastudio
