// The Export page's GGUF warnings in the studio's language. Core writes them in English
// (core/export: gguf_export.cpp, gguf_arch.cpp, gguf_vocab.cpp, gguf_job.cpp; the adapter's config:
// core/lora/peft_adapter.cpp) for the CLI; here each
// known sentence is recognised with its numbers and names and said again through tr(), so zh_CN
// shows Chinese. A sentence not recognised, or with no translation loaded, stays core's text
// (test_gguf_warning_text makes core produce each one and checks both).
#pragma once
#include <QString>

#include <string>

namespace lorastudio::ui {

QString ggufWarningText(const std::string& coreWarning);

} // namespace lorastudio::ui
