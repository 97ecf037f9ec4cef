// llama.cpp's own quantizer (llama_model_quantize in the node-llama-cpp binary's libllama) on a
// GGUF file, for the check of our 4-bit recipe and encoders (tests/core/test_gguf_llama_cpp.cpp).
// Usage: quantize LIBLLAMA.so IN.gguf OUT.gguf FTYPE   (FTYPE: llama_ftype, 2 = Q4_0, 15 = Q4_K_M)
// The parameter struct is opaque here apart from its first two fields (nthread, ftype), which
// llama.h has kept in that place across versions; the library fills the rest with its defaults.
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef struct { _Alignas(16) unsigned char bytes[1024]; } params_t;
int main(int argc, char** argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s LIBLLAMA IN.gguf OUT.gguf FTYPE\n", argv[0]); return 2; }
    void* lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 3; }
    void (*backend_init)(void) = (void (*)(void))dlsym(lib, "llama_backend_init");
    params_t (*defaults)(void) = (params_t (*)(void))dlsym(lib, "llama_model_quantize_default_params");
    uint32_t (*quantize)(const char*, const char*, const params_t*) = (uint32_t (*)(const char*, const char*, const params_t*))dlsym(lib, "llama_model_quantize");
    if (!backend_init || !defaults || !quantize) { fprintf(stderr, "missing symbols\n"); return 3; }
    backend_init();
    params_t p = defaults();
    int32_t threads = 2, ftype = atoi(argv[4]);
    memcpy(p.bytes, &threads, 4);
    memcpy(p.bytes + 4, &ftype, 4);
    uint32_t rc = quantize(argv[2], argv[3], &p);
    if (rc != 0) { fprintf(stderr, "llama_model_quantize failed (%u)\n", rc); return 1; }
    return 0;
}
