// The parsed form of a template: expressions and statements, each with its byte offset in the
// template for error messages. Built by JinjaParser, walked by JinjaInterpreter.
#pragma once
#include "template/jinja_value.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lorastudio::jinja {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    enum class Kind {
        Literal,  // value
        Name,     // name
        List,     // items
        Tuple,    // items
        Dict,     // items: key, value, key, value, ...
        Member,   // a.name
        Index,    // a[b]
        Slice,    // a[b:c:d], each of b, c, d may be null
        Call,     // a(items, keywords)
        Filter,   // a | name(items, keywords)
        Test,     // a is [not] name(items)
        Unary,    // op a   (op: "-", "+", "not")
        Binary,   // a op b (op: + - * / // % ** ~ == != < > <= >= in, "not in", and, or)
        Ternary,  // b if a else c
        Select,   // a if b   (no else: undefined when b is false)
    };
    Kind kind = Kind::Literal;
    size_t pos = 0;
    Value value;
    std::string name; // Name, Member, Filter, Test; the operator of Unary / Binary
    ExprPtr a, b, c, d;
    std::vector<ExprPtr> items;
    std::vector<std::pair<std::string, ExprPtr>> keywords;
    bool negate = false; // Test: `is not`
};

struct Stmt;
using StmtList = std::vector<std::unique_ptr<Stmt>>;

struct MacroParam {
    std::string name;
    ExprPtr defaultValue; // may be null
};

struct Stmt {
    enum class Kind {
        Text,        // text
        Output,      // {{ expr }}
        If,          // if expr: body, else: orelse (an elif is an If inside orelse)
        For,         // for targets in expr [if cond]: body, else: orelse
        Set,         // set targets = expr, or set target.attr = expr, or {% set target %}body{% endset %}
        Macro,       // macro name(params): body
        FilterBlock, // {% filter expr %}body{% endfilter %}: expr is a Filter with a null operand
        Break,
        Continue,
    };
    Kind kind = Kind::Text;
    size_t pos = 0;
    std::string text;                 // Text; Macro: its name; Set: the attribute of `ns.attr`
    ExprPtr expr;                     // Output, If, For (iterable), Set (value), FilterBlock
    ExprPtr object;                   // Set: the namespace of `set ns.attr = ...`
    ExprPtr cond;                     // For: `if` filter
    std::vector<std::string> targets; // For, Set
    std::vector<MacroParam> params;   // Macro
    bool usesVarargs = false, usesKwargs = false; // Macro: body reads `varargs` / `kwargs`
    StmtList body, orelse;
};

} // namespace lorastudio::jinja
