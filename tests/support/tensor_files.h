// Tensor-file helper shared by the tests that compare against the fixtures (torch, no Qt).
#pragma once
#include "io/safetensors.h"

#include <ATen/ATen.h>

#include <map>
#include <string>

namespace testsupport {

// Every tensor of a .safetensors file, copied out of the mapping (the file may close).
inline std::map<std::string, at::Tensor> readAllTensors(const std::string& path) {
    auto file = lorastudio::SafetensorsFile::open(path);
    std::map<std::string, at::Tensor> out;
    for (const auto& info : file->tensors()) out[info.name] = file->tensor(info.name).clone();
    return out;
}

} // namespace testsupport
