// Positions in template errors (see jinja_error.h).
#include "template/jinja_error.h"

namespace lorastudio::jinja {

std::string describePosition(const std::string& source, size_t offset) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && i < source.size(); ++i) {
        if (source[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

void throwTemplateError(const std::string& source, size_t offset, const std::string& what, const std::string& hint) {
    throw Error("chat template " + describePosition(source, offset), what, hint);
}

} // namespace lorastudio::jinja
