// The built-in operators, filters, tests and methods of template values, with the reference
// renderer's semantics (and Python's where the reference lacks a feature). Each throws
// BuiltinFailure with a message naming the operation; the interpreter adds the position.
#pragma once
#include "template/jinja_value.h"

#include <string>

namespace lorastudio::jinja {

// a op b for the arithmetic, comparison, membership and concatenation operators (not and / or).
Value binaryOperation(const std::string& op, const Value& a, const Value& b);

bool isKnownFilter(const std::string& name);
Value applyFilter(const std::string& name, const Value& operand, const CallArgs& args);

bool isKnownTest(const std::string& name);
bool applyTest(const std::string& name, const Value& operand, const CallArgs& args);

// obj.name / obj['name'] when obj has no such key: a string's or list's methods and `length`,
// a dict's get/items/keys/values/dictsort. Undefined when there is none.
Value builtinMember(const Value& object, const std::string& name);

// Order for `sort` and dictsort: numbers (and booleans) by value, strings case-insensitively unless
// caseSensitive; anything else throws BuiltinFailure. Returns <0, 0, >0.
int compareValues(const Value& a, const Value& b, bool caseSensitive);

// Python's slice semantics on a list of n items: the indices selected by start:stop:step.
std::vector<size_t> sliceIndices(size_t n, const Value& start, const Value& stop, const Value& step);

} // namespace lorastudio::jinja
