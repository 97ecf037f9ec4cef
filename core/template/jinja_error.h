// Errors of the template engine: lorastudio::Error whose message names the construct and where it is
// in the template ("chat template line 3, column 14: unknown filter 'foo'").
#pragma once
#include "common/error.h"

#include <string>

namespace lorastudio::jinja {

// "line L, column C" of a byte offset (columns count code points, from 1).
std::string describePosition(const std::string& source, size_t offset);

[[noreturn]] void throwTemplateError(const std::string& source, size_t offset, const std::string& what,
                                     const std::string& hint = {});

// Thrown by the built-in filters, tests and functions, which do not know where they were called
// from; the interpreter turns it into an Error at the calling node's position.
struct BuiltinFailure {
    std::string what;
};

// Thrown by the template's own raise_exception(message).
struct TemplateRaise {
    std::string message;
};

} // namespace lorastudio::jinja
