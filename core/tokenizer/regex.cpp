// See regex.h. Each thread keeps one PCRE2 match block and one JIT stack, reused by every Regex:
// the compiled code is shared read-only, which PCRE2 allows from any number of threads.
#include "tokenizer/regex.h"

#include "tokenizer/unicode_utils.h"

#include <pcre2.h>

namespace lorastudio::tok {

namespace {

struct ThreadScratch {
    pcre2_match_data* data = nullptr;
    pcre2_match_context* context = nullptr;
    pcre2_jit_stack* jitStack = nullptr;
    ThreadScratch() {
        data = pcre2_match_data_create(1, nullptr); // only the whole match is needed
        context = pcre2_match_context_create(nullptr);
        // Lookaheads over long runs of whitespace need more than PCRE2's default 32 KiB.
        jitStack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
        pcre2_jit_stack_assign(context, nullptr, jitStack);
    }
    ~ThreadScratch() {
        pcre2_match_data_free(data);
        pcre2_match_context_free(context);
        pcre2_jit_stack_free(jitStack);
    }
    ThreadScratch(const ThreadScratch&) = delete;
    ThreadScratch& operator=(const ThreadScratch&) = delete;
};

ThreadScratch& scratch() {
    thread_local ThreadScratch s;
    return s;
}

std::string pcreMessage(int code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    return reinterpret_cast<const char*>(buf);
}

} // namespace

Regex::Regex(const std::string& pattern, const std::string& where) : m_pattern(pattern) {
    int err = 0;
    PCRE2_SIZE errOffset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                     PCRE2_UTF | PCRE2_UCP, &err, &errOffset, nullptr);
    if (!code)
        throw Error(where, "cannot compile regex '" + pattern + "': " + pcreMessage(err) + " at offset " +
                               std::to_string(errOffset),
                    "the pattern uses syntax PCRE2 does not understand");
    // JIT is an optimisation only; without it (e.g. unsupported CPU) matching still works.
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    m_code = std::shared_ptr<void>(code, [](void* p) { pcre2_code_free(static_cast<pcre2_code*>(p)); });
}

void Regex::findAll(std::string_view text, std::vector<Span>& out) const {
    auto* code = static_cast<pcre2_code*>(m_code.get());
    ThreadScratch& s = scratch();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const int rc = pcre2_match(code, subject, text.size(), pos, PCRE2_NO_UTF_CHECK, s.data, s.context);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) throw Error("regex '" + m_pattern + "'", "matching failed: " + pcreMessage(rc));
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s.data);
        const std::size_t b = ov[0], e = ov[1];
        out.emplace_back(b, e);
        if (e > b) {
            pos = e;
        } else {
            if (e >= text.size()) break;
            pos = e + static_cast<std::size_t>(utf8SeqLength(static_cast<unsigned char>(text[e])));
        }
    }
}

Pattern Pattern::fromJson(const nlohmann::json& j, const JsonSite& site) {
    if (const auto* s = findKey(j, "String")) {
        if (!s->is_string()) site.key("String").fail("must be a string");
        if (s->get_ref<const std::string&>().empty()) site.key("String").fail("must not be empty");
        return literal(s->get<std::string>());
    }
    if (const auto* r = findKey(j, "Regex")) {
        if (!r->is_string()) site.key("Regex").fail("must be a string");
        Pattern p;
        p.m_regex = std::make_shared<const Regex>(r->get<std::string>(), site.key("Regex").where());
        return p;
    }
    site.fail("expected {\"String\": ...} or {\"Regex\": ...}");
}

Pattern Pattern::literal(std::string s) {
    Pattern p;
    p.m_literal = std::move(s);
    return p;
}

void Pattern::findAll(std::string_view text, std::vector<Span>& out) const {
    if (m_regex) {
        m_regex->findAll(text, out);
        return;
    }
    if (m_literal.empty()) return;
    std::size_t pos = 0;
    while ((pos = text.find(m_literal, pos)) != std::string_view::npos) {
        out.emplace_back(pos, pos + m_literal.size());
        pos += m_literal.size();
    }
}

std::string Pattern::replaceAll(std::string_view text, std::string_view content) const {
    std::vector<Span> spans;
    findAll(text, spans);
    if (spans.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    std::size_t prev = 0;
    for (const auto& [b, e] : spans) {
        out.append(text.data() + prev, b - prev);
        out.append(content);
        prev = e;
    }
    out.append(text.data() + prev, text.size() - prev);
    return out;
}

} // namespace lorastudio::tok
