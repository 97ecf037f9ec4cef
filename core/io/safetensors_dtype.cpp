// The safetensors dtypes this project reads and writes: names, element sizes, torch scalar types,
// and the reference library's ordering of dtypes (used to lay out data like it does).
#include "io/safetensors.h"
#include "io/safetensors_header.h"

#include "common/error.h"

#include <c10/core/ScalarType.h>

namespace lorastudio {

const char* dtypeName(DType d) {
    switch (d) {
    case DType::F64: return "F64";
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::I64: return "I64";
    case DType::I32: return "I32";
    case DType::I16: return "I16";
    case DType::I8: return "I8";
    case DType::U8: return "U8";
    case DType::BOOL: return "BOOL";
    }
    return "?";
}

bool parseDType(const std::string& name, DType& out) {
    static const std::pair<const char*, DType> kAll[] = {
        {"F64", DType::F64}, {"F32", DType::F32}, {"F16", DType::F16}, {"BF16", DType::BF16},
        {"I64", DType::I64}, {"I32", DType::I32}, {"I16", DType::I16}, {"I8", DType::I8},
        {"U8", DType::U8},   {"BOOL", DType::BOOL}};
    for (const auto& [n, d] : kAll) {
        if (name == n) {
            out = d;
            return true;
        }
    }
    return false;
}

std::size_t dtypeSize(DType d) {
    switch (d) {
    case DType::F64:
    case DType::I64: return 8;
    case DType::F32:
    case DType::I32: return 4;
    case DType::F16:
    case DType::BF16:
    case DType::I16: return 2;
    case DType::I8:
    case DType::U8:
    case DType::BOOL: return 1;
    }
    return 1;
}

c10::ScalarType toScalarType(DType d) {
    switch (d) {
    case DType::F64: return c10::ScalarType::Double;
    case DType::F32: return c10::ScalarType::Float;
    case DType::F16: return c10::ScalarType::Half;
    case DType::BF16: return c10::ScalarType::BFloat16;
    case DType::I64: return c10::ScalarType::Long;
    case DType::I32: return c10::ScalarType::Int;
    case DType::I16: return c10::ScalarType::Short;
    case DType::I8: return c10::ScalarType::Char;
    case DType::U8: return c10::ScalarType::Byte;
    case DType::BOOL: return c10::ScalarType::Bool;
    }
    return c10::ScalarType::Float;
}

DType fromScalarType(c10::ScalarType t) {
    switch (t) {
    case c10::ScalarType::Double: return DType::F64;
    case c10::ScalarType::Float: return DType::F32;
    case c10::ScalarType::Half: return DType::F16;
    case c10::ScalarType::BFloat16: return DType::BF16;
    case c10::ScalarType::Long: return DType::I64;
    case c10::ScalarType::Int: return DType::I32;
    case c10::ScalarType::Short: return DType::I16;
    case c10::ScalarType::Char: return DType::I8;
    case c10::ScalarType::Byte: return DType::U8;
    case c10::ScalarType::Bool: return DType::BOOL;
    default: break;
    }
    throw Error("", std::string("torch dtype ") + c10::toString(t) + " cannot be stored in safetensors",
                "convert the tensor to a real floating-point, integer or bool dtype first");
}

namespace safetensors_detail {

// The reference's Dtype enum lists types in increasing alignment:
// BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64.
int dtypeRank(DType d) {
    switch (d) {
    case DType::BOOL: return 0;
    case DType::U8: return 1;
    case DType::I8: return 2;
    case DType::I16: return 5;
    case DType::F16: return 7;
    case DType::BF16: return 8;
    case DType::I32: return 9;
    case DType::F32: return 11;
    case DType::F64: return 12;
    case DType::I64: return 13;
    }
    return 0;
}

} // namespace safetensors_detail
} // namespace lorastudio
