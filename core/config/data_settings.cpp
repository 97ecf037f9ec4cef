// See data_settings.h.
#include "config/data_settings.h"

namespace lorastudio {

bool operator==(const DataSettings& a, const DataSettings& b) {
    return a.path == b.path && a.format == b.format && a.chatTemplate == b.chatTemplate && a.systemPrompt == b.systemPrompt &&
           a.validationFraction == b.validationFraction && a.validationPath == b.validationPath &&
           a.maxLength == b.maxLength && a.maxPromptLength == b.maxPromptLength && a.completionOnlyLoss == b.completionOnlyLoss && a.shuffle == b.shuffle &&
           a.shuffleSeed == b.shuffleSeed && a.streaming == b.streaming && a.packing == b.packing &&
           a.groupByLength == b.groupByLength;
}

const std::vector<EnumEntry<DataFormat>>& enumEntries(DataFormat) {
    static const std::vector<EnumEntry<DataFormat>> t{{DataFormat::Auto, "auto"},
                                                      {DataFormat::Text, "text"},
                                                      {DataFormat::Alpaca, "alpaca"},
                                                      {DataFormat::Chat, "chat"},
                                                      {DataFormat::ShareGpt, "sharegpt"},
                                                      {DataFormat::Preference, "preference"}};
    return t;
}

const std::vector<EnumEntry<ChatTemplate>>& enumEntries(ChatTemplate) {
    static const std::vector<EnumEntry<ChatTemplate>> t{
        {ChatTemplate::Auto, "auto"},       {ChatTemplate::Model, "model"},   {ChatTemplate::ChatML, "chatml"},
        {ChatTemplate::Llama3, "llama3"},   {ChatTemplate::Mistral, "mistral"}, {ChatTemplate::Plain, "plain"},
        {ChatTemplate::Alpaca, "alpaca"},   {ChatTemplate::Model, "jinja"}};
    return t;
}

} // namespace lorastudio
