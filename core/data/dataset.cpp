// See dataset.h. Loading is one pass per file: read a record, settle format and template on the
// first valid one, render, tokenize, keep the tokens (or only their counts when streaming).
#include "data/dataset.h"

#include "data/preference_record.h"

#include "common/error.h"
#include "data/data_order.h"
#include "data/example_store.h"
#include "data/model_chat_template.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

// Seed stream of the validation split, apart from the epoch orders (which use epoch + 1).
constexpr uint64_t kSplitStream = 0x53504C4954000000ull;

const char* const kLayoutHint =
    "expected JSONL (one JSON object per line), a JSON array of objects, or plain text in a .txt file";

// What the first valid record settles for the whole dataset.
struct Settled {
    DataFormat format;
    ChatTemplate chatTemplate;
    bool completionOnly;
    RecordEncoder encoder;
};

// Examples whose trained part the model template's mask fallback located, reported once per dataset.
// What the records said as they were rendered, reported once per dataset: masks located approximately,
// and tool calling under a built-in template (which writes no tool definitions).
struct RecordNotes {
    int64_t examples = 0;
    std::string first; // "data.jsonl:3: assistant message 1: ..."
    int64_t toolExamples = 0;
    std::string toolFirst;  // "data.jsonl:3"
    std::string builtIn;    // the built-in template's name

    void report(std::vector<std::string>& warnings) const {
        if (toolExamples > 0)
            warnings.push_back(std::to_string(toolExamples) + (toolExamples == 1 ? " example calls tools or defines them" : " examples call tools or define them") +
                               ", which the built-in " + builtIn +
                               " template does not write: tool calls are trained as their JSON and tool definitions are "
                               "left out; the first is " + toolFirst +
                               " (hint: set data.template to model to render tools as the model's own template does)");
        if (examples == 0) return;
        warnings.push_back("the model's chat template renders earlier turns differently once later turns follow, so "
                           "the trained part of " + std::to_string(examples) + " example" + (examples == 1 ? " was" : "s were") +
                           " located approximately; the first is " + first +
                           " (hint: check the preview, or set data.template to a built-in template for exact masks)");
    }
};

// format: the file's; rendered: the first record's (a preference pair's is that of its answers:
// Alpaca, chat or plain text), which picks the template as for those records.
Settled settle(const DataSettings& s, const Tokenizer& tok, DataFormat format, DataFormat rendered,
               std::vector<std::string>& warnings) {
    ChatTemplate t = resolveChatTemplate(s.chatTemplate, format == DataFormat::Preference ? rendered : format,
                                         tok.chatTemplate(), warnings);
    RenderOptions o;
    o.chatTemplate = t;
    o.systemPrompt = s.systemPrompt;
    o.completionOnly = s.completionOnlyLoss.value_or(format != DataFormat::Text);
    if (format == DataFormat::Preference && !o.completionOnly)
        throw Error("data.completion_only_loss", "is false, but preference pairs compare the answers only",
                    "remove data.completion_only_loss (or set it to true) for preference data");
    const bool modelTemplate = format != DataFormat::Text && t == ChatTemplate::Model;
    if (modelTemplate) o.modelTemplate = std::make_shared<const ModelChatTemplate>(tok);
    if (format != DataFormat::Text && (t == ChatTemplate::ChatML || t == ChatTemplate::Llama3)) {
        const std::string marker = t == ChatTemplate::ChatML ? "<|im_end|>" : "<|eot_id|>";
        if (!tok.tokenToId(marker)) {
            o.eosAfterEndMarker = true;
            warnings.push_back(marker + " is not a token of this tokenizer: the " + enumName(t) +
                               " markers are learned as plain text, and an EOS follows each assistant turn "
                               "(hint: a model made for " + enumName(t) + " has these tokens)");
        }
    }
    if (!tok.eosId())
        warnings.push_back("the tokenizer has no eos_token: examples end without one, so the model may not learn "
                           "to stop (hint: set eos_token in tokenizer_config.json)");
    return Settled{format, t, o.completionOnly, RecordEncoder{o, ExampleEncoder(tok, s.maxLength, modelTemplate, s.maxPromptLength)}};
}

[[noreturn]] void throwNoValidRecord(const std::string& path, const std::vector<BadLine>& bad) {
    if (bad.empty()) throw Error(path, "no records: the file is empty", kLayoutHint);
    // The first bad line's message carries its own hint, so ours goes before it.
    throw Error(path + ": no valid record among " + std::to_string(bad.size()) + " malformed line" +
                (bad.size() == 1 ? "" : "s") + " (hint: " + kLayoutHint + "); the first is " + bad.front().message);
}

// Reads every record of `path` into a store. `settled` is filled by the first valid record when
// still empty (training file); a validation file is read in the format already settled.
std::shared_ptr<ExampleStore> readFile(const std::string& path, const DataSettings& s, const Tokenizer& tok,
                                       std::optional<Settled>& settled, std::vector<std::string>& warnings,
                                       std::vector<BadLine>& badLines, RecordNotes& notes, const DataProgress& progress,
                                       int64_t limit = -1) {
    DataFileReader reader(path, settled ? settled->format : s.format);
    std::shared_ptr<ExampleStore> store;
    DataRecord record;
    RecordPlace place;
    int64_t reported = 0;
    std::vector<BadLine> encodeBad;
    while (limit < 0 || !store || store->size() < limit) {
        if (!reader.next(record, place)) break;
        if (!settled) settled = settle(s, tok, reader.format(), record.format, warnings);
        TokenizedExample ex;
        const std::string at = fs::path(path).filename().string() + ":" + std::to_string(place.line) + ": ";
        std::vector<std::string> maskWarnings;
        try {
            ex = settled->encoder.encode(record, &maskWarnings);
        } catch (const Error& e) { // invalid UTF-8 in a .txt line, a record the model's template refuses: that line is bad
            encodeBad.push_back(BadLine{path, place.line, at + e.what()});
            continue;
        }
        if (!maskWarnings.empty() && notes.examples++ == 0) notes.first = at + maskWarnings.front();
        if (record.usesTools() && settled->chatTemplate != ChatTemplate::Model && notes.toolExamples++ == 0) {
            notes.toolFirst = at.substr(0, at.size() - 2);
            notes.builtIn = enumName(settled->chatTemplate);
        }
        if (!store) {
            store = std::make_shared<ExampleStore>(path, settled->encoder);
            if (s.streaming) store->file = std::make_unique<RecordFile>(path, reader.layout(), settled->format);
        }
        store->places.push_back(place);
        store->fullLengths.push_back(ex.fullLength);
        store->trainedTokens.push_back(static_cast<int32_t>(ex.trainedTokens()));
        if (!s.streaming) store->examples.push_back(std::move(ex));
        if (progress && reader.bytesRead() - reported >= (1 << 20)) {
            reported = reader.bytesRead();
            progress(reported, reader.totalBytes());
        }
    }
    if (progress) progress(reader.bytesRead(), reader.totalBytes());
    std::vector<BadLine> bad = reader.badLines();
    bad.insert(bad.end(), encodeBad.begin(), encodeBad.end());
    std::stable_sort(bad.begin(), bad.end(), [](const BadLine& a, const BadLine& b) { return a.line < b.line; });
    badLines.insert(badLines.end(), bad.begin(), bad.end());
    if (!store) throwNoValidRecord(path, bad);
    return store;
}

std::vector<int64_t> allRecords(int64_t n) {
    std::vector<int64_t> r(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i) r[static_cast<std::size_t>(i)] = i;
    return r;
}

std::string plural(int64_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

void statsWarnings(const ExampleSet& set, const char* name, std::vector<std::string>& warnings) {
    const DataStats& st = set.stats();
    const std::string head = std::to_string(st.truncated) + " of " + plural(st.examples, name) + " are longer than " +
                             "max_length " + std::to_string(st.maxLength) + " tokens and were truncated, ";
    const std::string longest = "; the longest has " + std::to_string(st.longest()) + " tokens)";
    if (st.truncated > 0 && st.maxPromptLength > 0)
        warnings.push_back(head + "their prompts first to their last " + std::to_string(st.maxPromptLength) +
                           " tokens (hint: raise data.max_length" + longest);
    else if (st.truncated > 0)
        warnings.push_back(head + "keeping their start (hint: raise data.max_length" + longest);
    if (st.withoutTrainedTokens > 0)
        warnings.push_back(std::to_string(st.withoutTrainedTokens) + " of " + plural(st.examples, name) +
                           " have no trained token left after truncation and add nothing to the loss " +
                           (st.maxPromptLength > 0 ? "(hint: raise data.max_length or lower data.max_prompt_length)"
                                                   : "(hint: raise data.max_length, or set data.max_prompt_length to "
                                                     "cut long prompts instead of their answers)"));
}

} // namespace

int32_t Dataset::longestExample() const {
    return std::max(m_train.stats().longestTruncated(), m_validation.stats().longestTruncated());
}

Dataset Dataset::load(const DataSettings& s, const Tokenizer& tokenizer, const DataProgress& progress) {
    if (s.path.empty()) throw Error("data.path", "no training data set", "choose a .jsonl, .json or .txt file");
    Dataset d;
    d.m_streaming = s.streaming;
    std::optional<Settled> settled;
    RecordNotes notes;
    auto store = readFile(s.path, s, tokenizer, settled, d.m_warnings, d.m_badLines, notes, progress);
    d.m_format = settled->format;
    d.m_template = settled->chatTemplate;
    d.m_completionOnly = settled->completionOnly;

    if (!s.validationPath.empty()) {
        if (s.validationFraction > 0)
            d.m_warnings.push_back("data.validation names a file, so no fraction of the training data is held out");
        auto valStore = readFile(s.validationPath, s, tokenizer, settled, d.m_warnings, d.m_badLines, notes, progress);
        d.m_train = ExampleSet(store, allRecords(store->size()));
        d.m_validation = ExampleSet(valStore, allRecords(valStore->size()));
    } else if (s.validationFraction > 0 && store->size() < 2) {
        d.m_warnings.push_back("only one valid example: nothing is held out for validation");
        d.m_train = ExampleSet(store, allRecords(store->size()));
    } else if (s.validationFraction > 0) {
        const int64_t n = store->size();
        const int64_t nVal = std::clamp<int64_t>(std::llround(s.validationFraction * static_cast<double>(n)), 1, n - 1);
        std::vector<int64_t> perm = seededPermutation(n, mixSeed(static_cast<uint64_t>(s.shuffleSeed), kSplitStream));
        std::vector<int64_t> val(perm.begin(), perm.begin() + nVal), train(perm.begin() + nVal, perm.end());
        std::sort(val.begin(), val.end());
        std::sort(train.begin(), train.end());
        d.m_train = ExampleSet(store, std::move(train));
        d.m_validation = ExampleSet(store, std::move(val));
    } else {
        d.m_train = ExampleSet(store, allRecords(store->size()));
    }

    notes.report(d.m_warnings);
    if (!d.m_badLines.empty())
        d.m_warnings.push_back(plural(static_cast<int64_t>(d.m_badLines.size()), "malformed record") +
                               " skipped; the first is " + d.m_badLines.front().message);
    statsWarnings(d.m_train, "training example", d.m_warnings);
    statsWarnings(d.m_validation, "validation example", d.m_warnings);
    return d;
}

DataPreview previewData(const DataSettings& settings, const Tokenizer& tokenizer, int count) {
    DataSettings s = settings;
    s.streaming = false;
    DataPreview p;
    std::optional<Settled> settled;
    RecordNotes notes;
    auto store = readFile(s.path, s, tokenizer, settled, p.warnings, p.badLines, notes, {}, std::max(1, count));
    notes.report(p.warnings);
    p.format = settled->format;
    p.chatTemplate = settled->chatTemplate;
    p.completionOnlyLoss = settled->completionOnly;
    for (int64_t r = 0; r < store->size(); ++r) {
        p.examples.push_back(previewExample(store->examples[static_cast<std::size_t>(r)], tokenizer, s.path,
                                            store->places[static_cast<std::size_t>(r)].line));
    }
    return p;
}

void requireDataFitsObjective(DataFormat format, Objective objective, const std::string& dataPath) {
    if (isPreferenceObjective(objective) && format != DataFormat::Preference)
        throw Error(dataPath, "holds " + enumName(format) + " records, and training.objective " + enumName(objective) +
                                  " needs preference pairs",
                    std::string(kPreferenceHint) + "; or set training.objective: sft");
    if (objective == Objective::Sft && format == DataFormat::Preference)
        throw Error(dataPath, "holds preference pairs (chosen and rejected answers), which train with DPO or ORPO",
                    "set training.objective: dpo or orpo, or train on the chosen answers as chat records with objective sft");
}

} // namespace lorastudio
