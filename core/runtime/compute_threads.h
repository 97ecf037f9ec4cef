// How many CPU threads compute uses: LibTorch's intra-op pool and OpenBLAS's own pool, set
// together. Auto (0) means OMP_NUM_THREADS when it is set, else every physical core.
#pragma once

namespace lorastudio {

// requested > 0: that many; 0: auto (see above). Sets at::set_num_threads and, when OpenBLAS is
// loaded, openblas_set_num_threads; returns the count now in use.
int configureComputeThreads(int requested);

// What auto resolves to on this machine (OMP_NUM_THREADS, else physical cores).
int autoComputeThreads();

// The count configureComputeThreads last set (LibTorch's own count before the first call).
int computeThreadsInUse();

} // namespace lorastudio
