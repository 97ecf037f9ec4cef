// Internal to core/io: parsing and validating a safetensors header (the JSON between the 8-byte
// length and the data region), independent of how the bytes were obtained (mmap, tests).
// Checks are at least as strict as the reference Rust `safetensors` crate; every failure throws
// lorastudio::Error naming the file and, where there is one, the tensor.
#pragma once
#include "io/safetensors.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lorastudio {
namespace safetensors_detail {

// The reference's bound on the JSON header (100 MB); a larger length means a corrupt or foreign file.
constexpr uint64_t kMaxHeaderSize = 100'000'000;
// Tensors in one file: real checkpoints hold a few thousand per shard; a header listing more is a
// memory bomb (each entry becomes a TensorInfo and a map node).
constexpr std::size_t kMaxTensorCount = 1'000'000;

struct ParsedHeader {
    uint64_t headerSize = 0;  // N, the JSON length (including padding)
    std::vector<TensorInfo> tensors;  // in header order
    std::map<std::string, std::string> metadata;
};

// Validates a whole file image: bytes[0, size). path is used in messages only.
ParsedHeader parseFile(const uint8_t* bytes, uint64_t size, const std::string& path);

// Parses the JSON text of a header and validates every entry against a data region of dataSize bytes.
ParsedHeader parseHeaderJson(const char* text, std::size_t length, uint64_t dataSize, const std::string& path);

// Position of the first byte that is not valid UTF-8 (as Rust's str::from_utf8 defines it), or
// length when the text is valid.
std::size_t firstInvalidUtf8(const char* text, std::size_t length);

// One tensor as the writer lays it out.
struct SafetensorsEntry {
    std::string name;
    std::size_t index = 0;  // position in the caller's list
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t nbytes = 0;
};

// The JSON header for entries written in the given order from offset 0: compact, __metadata__
// first (omitted when empty), padded with spaces to a multiple of 8 bytes. path is for messages.
std::string safetensorsHeader(const std::vector<SafetensorsEntry>& entries,
                              const std::map<std::string, std::string>& metadata, const std::string& path);

// The reference's ordering key for writing: the order of its Dtype enum (increasing alignment).
int dtypeRank(DType d);

} // namespace safetensors_detail
} // namespace lorastudio
