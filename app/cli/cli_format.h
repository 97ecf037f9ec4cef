// Small text formatting helpers for the CLI's human-readable output.
#pragma once
#include <cstdint>
#include <string>

namespace lorastudio::cli {

std::string humanBytes(uint64_t bytes);        // 3565158 -> "3.4 MiB"
std::string padRight(const std::string& s, std::size_t width);
std::string padLeft(const std::string& s, std::size_t width);

} // namespace lorastudio::cli
