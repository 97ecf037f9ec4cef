// libFuzzer harness: training data (core/data/data_file, data_record). The first byte picks the file
// kind (.jsonl, .json, .txt) and the asked format; the rest is the file. Reads every record through
// DataFileReader, reads each one back by its place (streaming mode), and parses every line as one
// JSON record in each format.
#include "fuzz_support.h"

#include "data/data_file.h"
#include "data/data_record.h"

#include <nlohmann/json.hpp>

using namespace lorastudio;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const char* const kExt[] = {"data.jsonl", "data.json", "data.txt"};
    static const DataFormat kFormats[] = {DataFormat::Auto, DataFormat::Text, DataFormat::Alpaca, DataFormat::Chat,
                                          DataFormat::ShareGpt, DataFormat::Preference};
    const char* name = kExt[data[0] % 3];
    const DataFormat format = kFormats[(data[0] / 3) % 6];
    const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto dir = fuzz::freshScratch();
    const std::string path = fuzz::writeFile(dir / name, body);

    fuzz::expectCleanFailure("data file", [&] {
        DataFileReader reader(path, format);
        DataRecord record;
        RecordPlace place;
        std::vector<RecordPlace> places;
        while (reader.next(record, place)) places.push_back(place);
        for (const auto& b : reader.badLines()) (void)b.message;
        if (!places.empty() && reader.format() != DataFormat::Auto) {
            RecordFile file(path, reader.layout(), reader.format());
            for (const auto& p : places) file.read(p);
        }
    });

    // One record at a time, as JSON values.
    size_t from = 0;
    while (from <= body.size()) {
        size_t end = body.find('\n', from);
        if (end == std::string::npos) end = body.size();
        const auto value = nlohmann::ordered_json::parse(body.begin() + from, body.begin() + end, nullptr, false);
        if (!value.is_discarded()) {
            (void)detectRecordFormat(value);
            for (DataFormat f : {DataFormat::Text, DataFormat::Alpaca, DataFormat::Chat, DataFormat::ShareGpt,
                                  DataFormat::Preference}) {
                DataRecord r;
                std::string problem;
                fuzz::expectCleanFailure("data record", [&] { parseRecord(value, f, r, problem); });
            }
        }
        from = end + 1;
    }
    return 0;
}
