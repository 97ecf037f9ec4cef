<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CoreError</name>
    <message>
        <source>%1: file is too small (%2 bytes) to hold the 8-byte header length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: header length %2 runs past the end of the file (size %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos;: byte range [%3, %4) ends past the end of the data region (size %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: header length %2 exceeds the limit of %3 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: header is not valid JSON (near file offset %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos;: unknown dtype &apos;%3&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos;: shape [%3] of %4 needs %5 bytes, but data_offsets [%6, %7) span %8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: folder holds no model.safetensors, model.safetensors.index.json or adapter_model.safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: missing tensors: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: misshapen tensors: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: line %2, column %3: malformed JSON: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: missing object &apos;weight_map&apos; (tensor name -&gt; shard file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: shard &apos;%2&apos; (holding tensor &apos;%3&apos;) does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; is listed in shard &apos;%3&apos; but is not in it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: shard &apos;%2&apos; lies outside the model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: shard &apos;%2&apos; is a link to %3, outside the model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no such model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: unknown architecture &apos;%2&apos; (key &apos;%3&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: key &apos;%2&apos; is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: key &apos;%2&apos; has the wrong type (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no tokenizer.json in this folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: model.type: unknown model type &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2: must be a string or an AddedToken object, found %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: peft_type is &apos;%2&apos;, only LORA adapters are supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; has shape [%3], expected [%4]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: missing tensor &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: lora.target_modules: target_modules %2 matched no linear module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.target_modules: target_modules %1 matched no linear module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: malformed YAML: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected a mapping of keys at the top level, got a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected a mapping of keys at the top level, got %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: data file does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no records: the file is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no valid record among %2 malformed lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model&apos;s chat_template: cannot be used: chat template line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.template: is model, but the tokenizer has no chat_template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF %1: no GGUF magic (at byte %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF %1: the file ends inside %2 (at byte %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF %1: %2 %3 is more than the file can hold (at byte %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF export: llama.cpp&apos;s %1 graph always uses the embedding as the output head; this model&apos;s config (%2) sets tie_word_embeddings false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is NaN (micro-batch %2 of %3). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is infinite (micro-batch %2 of %3). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is NaN on at least one rank. Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is infinite on at least one rank. Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped at step %1: the gradient norm is NaN (loss %2). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped at step %1: the gradient norm is infinite (loss %2). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a training checkpoint (no trainer_state.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: incomplete checkpoint: %2 is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (hint: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected a whole number, got %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must be &gt;= %2, got %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must be &gt; %2, got %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must be in %2, got %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must be from %2 to %3, got %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected one of %2, got %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version: unsupported schema version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must not be an empty name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must not be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.target_modules: the target list is empty, so LoRA would train nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.target_modules: the target regex is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.exclude_modules: all-linear is only meaningful for target_modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a pattern is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.init: pissa_niter is only valid with pissa (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.init: PiSSA needs the full-precision base weights, but lora.quantization is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.quantize_all_linear: is true, but lora.quantization is none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.validation: a validation fraction must be in [0, 1), got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.validation: give either a fraction or a path, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.epochs: epochs is 0 and max_steps is 0, so nothing would train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.device: unknown device &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.device: &apos;%1&apos; requested, but this build sees no CUDA GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.device: &apos;%1&apos;: there are %2 GPU(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.device: &apos;%1&apos; is not a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base_model: no base model given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.dpo_label_smoothing: applies to the sigmoid loss only, and dpo_loss is ipo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: DPO&apos;s reference is the base model with the adapters switched off, and trained biases or modules_to_save would change it too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.completion_only_loss: is false, but preference pairs compare the answers only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.objective: %1 trains on preference pairs, and data.format is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.format: preference pairs train with training.objective: dpo or orpo, and the objective is sft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.packing: %1 compares each chosen answer with its rejected one row by row, so rows cannot be packed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: holds %2 records, and training.objective %3 needs preference pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: holds preference pairs (chosen and rejected answers), which train with DPO or ORPO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.max_prompt_length: must be less than max_length (%1), got %2, which leaves no room for the answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CoreHint</name>
    <message>
        <source>the file is empty or truncated; download or copy it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is truncated; download or copy it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this is not a safetensors file, or its first 8 bytes are corrupt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is corrupt or not a safetensors file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the header is malformed; the file was written by a non-conforming tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is this a Hugging Face model folder? (.bin/.pt checkpoints are not read; convert them to safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is this checkpoint for a different architecture/size? config says %1, %2 layers, hidden %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is cut short or was edited by hand; fix it there, or download it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is this a *.safetensors.index.json?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the download is incomplete; fetch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the index and the shards do not belong together; download them again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check the path (base_model in a project); a Hugging Face model folder holds config.json and *.safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Hugging Face model folder holds config.json beside its *.safetensors; is this the right folder?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this build supports %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is incomplete or was edited by hand; take it from the original download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA Studio needs the Hugging Face fast-tokenizer file tokenizer.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write the token&apos;s text, e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a PEFT adapter folder holds adapter_config.json and adapter_model.safetensors; check the path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA Studio reads PEFT LoRA adapters (DoRA included); train or convert a LoRA adapter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maybe wrong base model, or r differs from adapter_config.json (r = %1 for this module)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file does not hold every module adapter_config.json targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only safetensors adapters are read; convert adapter_model.bin with PEFT (safe_serialization=True)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>available modules include %1 (%2 in all); their name endings are %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check the indentation (spaces, not tabs), colons and brackets near this place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a project file starts with lines such as &apos;version: 1&apos; and &apos;base_model: ...&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the LoRA rank, e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the LoRA rank, typically %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>often 2 * r, e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1; 0 disables dropout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this LoRA Studio reads version %1; a newer file needs a newer LoRA Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check data.path in the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected JSONL (one JSON object per line), a JSON array of objects, or plain text in a .txt file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chat templates are rendered without the &apos;%1&apos; tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set data.template to chatml (a built-in template) to train without the model&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose a built-in template such as chatml, or add chat_template to tokenizer_config.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is truncated or not a GGUF file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export the merged model as safetensors instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lower training.lr, keep max_grad_norm &gt; 0, or use fp32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pass a folder like %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resume from another checkpoint of the run (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the checkpoint was written for another LoRA rank or base model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an index names shards by their file names in its own folder; this one is broken or unsafe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy the file into the model folder if it belongs to this model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list module names such as [q_proj, v_proj], give one regex, or write all-linear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list module names or give one regex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer indices start at 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a rank, e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write pissa or pissa_niter_16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>use init: default with a quantized base, or quantization: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set quantization: nf4 or int8, or quantize_all_linear: false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1, or a file path in quotes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set the fraction to 0 to use the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens per example, e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set epochs (e.g. %1) or max_steps (e.g. %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 means: train for `epochs`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 means no accumulation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 means: use warmup_ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1; lower it if memory runs out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1; 0 disables clipping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1 (the LoRA+ paper&apos;s choice), or 0 for plain LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>steps between evaluations; 0 = never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>steps between checkpoints; 0 = only at the end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>steps between log lines, e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checkpoints kept, e.g. %1; 0 = keep all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>steps between spectra snapshots, e.g. %1; 0 = never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU threads, e.g. %1; 0 = every physical core</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds a rank waits for the others, e.g. %1 (longer than an evaluation or a checkpoint takes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB of gradients per all-reduce bucket, e.g. %1; 0 = one all-reduce after backward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of auto, cpu, cuda, cuda:N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>use device: cpu or auto, or a CUDA build of LoRA Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>use cuda:0 .. cuda:%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add e.g. base_model: %1 (a Hugging Face model folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. &apos;%1&apos; or all-linear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1 or %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1 (TRL&apos;s default); higher keeps the policy nearer the base model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the share of pairs whose labels may be flipped, e.g. %1; 0 = plain DPO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set dpo_label_smoothing: 0, or dpo_loss: sigmoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set data.format: preference (records with prompt, chosen and rejected), or objective: sft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set data.packing: false (data.group_by_length still saves padding)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set lora.bias: none and lora.modules_to_save: [] for DPO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>preference records look like {&quot;prompt&quot;: &quot;...&quot;, &quot;chosen&quot;: &quot;...&quot;, &quot;rejected&quot;: &quot;...&quot;}, with message lists in place of the strings for chat data; or set training.objective: sft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove data.completion_only_loss (or set it to true) for preference data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set training.objective: dpo or orpo, or use answer data (chat, alpaca, text) for sft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. %1 (TRL&apos;s default, the ORPO paper&apos;s lambda)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set training.objective: dpo or orpo, or train on the chosen answers as chat records with objective sft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. a quarter of max_length; 0 cuts long examples at their end only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2 · %3 tokens, %4 trained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · cut from %1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataWarning</name>
    <message>
        <source>the model&apos;s chat template renders earlier turns differently once later turns follow, so the trained part of %1 examples was located approximately; the first is %2 (hint: check the preview, or set data.template to a built-in template for exact masks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a token of this tokenizer: the %2 markers are learned as plain text, and an EOS follows each assistant turn (hint: a model made for %2 has these tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tokenizer has no eos_token: examples end without one, so the model may not learn to stop (hint: set eos_token in tokenizer_config.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 training examples are longer than max_length %3 tokens and were truncated, keeping their start (hint: raise data.max_length; the longest has %4 tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 validation examples are longer than max_length %3 tokens and were truncated, keeping their start (hint: raise data.max_length; the longest has %4 tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.validation names a file, so no fraction of the training data is held out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only one valid example: nothing is held out for validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 malformed records skipped; the first is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.template is %1, but the model&apos;s chat_template looks like %2 (hint: use template: auto or model to follow the model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model&apos;s chat_template cannot be used (%1); rendering with %2 instead (hint: set data.template to silence this)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model&apos;s chat_template looks like Llama 2 ([INST] with &lt;&lt;SYS&gt;&gt;); rendering with the Mistral [INST] template (hint: set data.template to silence this)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tokenizer has no chat_template; chat records are rendered with chatml (hint: set data.template explicitly)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 examples call tools or define them, which the built-in %2 template does not write: tool calls are trained as their JSON and tool definitions are left out; the first is %3 (hint: set data.template to model to render tools as the model&apos;s own template does)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 training examples are longer than max_length %3 tokens and were truncated, their prompts first to their last %4 tokens (hint: raise data.max_length; the longest has %5 tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 validation examples are longer than max_length %3 tokens and were truncated, their prompts first to their last %4 tokens (hint: raise data.max_length; the longest has %5 tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 training examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length or lower data.max_prompt_length)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 training examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length, or set data.max_prompt_length to cut long prompts instead of their answers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 validation examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length or lower data.max_prompt_length)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 validation examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length, or set data.max_prompt_length to cut long prompts instead of their answers)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FolderWarning</name>
    <message>
        <source>%1: &apos;auto_map&apos; names custom Python code (%2); LoRA Studio never imports or runs it (hint: the model is built from this build&apos;s own architecture table, so a model that needs its own code may not load as intended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: is a link to %2, outside the model folder; it is read from there (hint: copy the file into the folder if it belongs to this model, or remove the link)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: holds pickle file(s) %2; they are never opened, since unpickling can run code (hint: only *.safetensors weights are read; convert the checkpoint with transformers&apos; save_pretrained(safe_serialization=True))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: holds Python file(s) %2; they are never run (hint: LoRA Studio reads config.json, *.safetensors and tokenizer files only)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GgufWarning</name>
    <message>
        <source>%1 matrices written as %2, not %3: their rows are not a multiple of %4 values (%3&apos;s block)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp attends over the whole context where this model has a sliding window of %1 tokens: outputs agree up to that length only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp picks LongRoPE&apos;s long factors by context size (above %1 tokens: for every token), transformers by sequence length: outputs agree in contexts up to %1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: llama.cpp has no name for this pre-tokenizer; its default splitting is written, so token ids of some texts may differ from training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Modelfile&apos;s TEMPLATE is the built-in %1 template, not the model&apos;s own Jinja chat_template (hint: check it against the model&apos;s chat format before use)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: unknown key &apos;%2&apos;, ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is %3: LoRA Studio does not apply this PEFT option, the adapter may compute differently</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModuleSelection</name>
    <message>
        <source>Enter a regular expression that matches whole module names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a layer number or a range like 0-3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectWarning</name>
    <message>
        <source>unknown key &apos;%1&apos;, ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &apos;version&apos; key, assuming version 1 (add &apos;version: 1&apos; at the top)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (did you mean &apos;%1&apos;?)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RankAdvice</name>
    <message>
        <source>the update is zero (B still at its initial zeros): nothing learned yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy needs all %1 direction: r=%1 is saturated, try r=%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy needs all %1 directions: r=%1 is saturated, try r=%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top direction: r=%1 would do (now r=%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 directions: r=%2 would do (now r=%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 of %2 directions: r=%2 fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no LoRA modules to analyse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the update is zero in all %1 modules (B still at its initial zeros): nothing learned yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>r is saturated in %1 of %2 modules (95% of their update&apos;s energy needs every direction): try r=%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 direction or fewer in every module (median %2): r=%3 would do (now r=%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 directions or fewer in every module (median %2): r=%3 would do (now r=%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 direction or fewer in every module (median %2): r=%3 fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 directions or fewer in every module (median %2): r=%3 fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; %2 of %3 modules have not moved from zero</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunLog</name>
    <message>
        <source>Loading tokenizer and data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading base model %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 malformed line(s) skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QLoRA: %1 frozen linear weights kept quantized (%2; merge and export read the original checkpoint)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient checkpointing: decoder layers recompute their activations in backward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total steps changed from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checkpoint&apos;s random state for %1 does not apply here: dropout draws differ from the original run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed %1: it continued the run differently after step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resuming at step %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The earlier run in %1 is kept in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resumed at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training finished: %1 steps, last loss %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1/%2  loss %3  lr %4  grad norm %5  %6 tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eval at step %1  loss %2  perplexity %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1: a micro-batch has no token to learn from (all masked); skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient all-reduce: %1 buckets, %2 MiB, %3 started during backward (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1: fp16 gradients overflowed; update skipped, loss scale %2 -&gt; %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak memory: %1 resident; the estimate said %2 (measured %3%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak memory: %1 reserved by the CUDA allocator; the estimate said %2 without the CUDA context (measured %3%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>r = %1 exceeds min(in, out) = %2 of %3: the update&apos;s rank cannot pass %2, so the extra %4 directions cost parameters and learn nothing (hint: r &lt;= %2, or rank_pattern for those modules)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>r = %1 exceeds min(in, out) = %2 of %3 (and %4 more modules): the update&apos;s rank cannot pass %2, so the extra %5 directions cost parameters and learn nothing (hint: r &lt;= %2, or rank_pattern for those modules)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last checkpoint: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adapter (PEFT): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nf4, double quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training %1 steps (%2 per epoch, batch %3 × accumulation %4, warmup %5), %6 trainable parameters on %7, precision %8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 threads)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, packed rows of %1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 data-parallel ranks (global batch %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory estimate: peak %1 of GPU memory (batch %2 × %3 tokens%4; peak during %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory estimate: peak %1 resident (batch %2 × %3 tokens%4; peak during %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, the data&apos;s longest example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, per rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no memory estimate: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>analysis skipped at step %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: the base model stores its linear weights quantized by bitsandbytes (%1): with lora.quantization they stay as stored, without it they are dequantized; merge and export add ΔW to the dequantized weights (the folder has no 16-bit originals)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QLoRA: %1 frozen linear weights kept quantized (bitsandbytes %2 as the base folder stores them; merge and export use their dequantized values)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed after %1/%2 steps: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped after %1/%2 steps: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>diverged after %1/%2 steps: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AMX-BF16 + AVX512-BF16: bf16 training is fast on this CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AMX-BF16: bf16 training is fast on this CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AVX512-BF16: bf16 training is fast on this CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no AVX512-BF16 or AMX: bf16 is emulated here, fp32 is faster on this CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1/%2  loss %3  reward accuracy %4  margin %5  lr %6  grad norm %7  %8 tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eval at step %1  loss %2  reward accuracy %3  margin %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::AboutDialog</name>
    <message>
        <source>CUDA: not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>CUDA: %n device(s)</source>
        <translation>
            <numerusform>CUDA: %n device</numerusform>
            <numerusform>CUDA: %n devices</numerusform>
        </translation>
    </message>
    <message>
        <source>About LoRA Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;LoRA Studio %1&lt;/h2&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A native studio for LoRA fine-tuning of language models: pick a base model and its target modules, see the exact trainable parameters, prepare the data, train, and export a PEFT adapter or a merged model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the versions and devices, e.g. for a bug report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU: %1 hardware threads, %2 physical cores (LibTorch uses %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU bf16: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BLAS:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data parallel:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::CheckedSpinBox</name>
    <message>
        <source>%1 is above the largest value here, %2: kept %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is below the smallest value here, %2: kept %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::DataPanel</name>
    <message>
        <source>A .jsonl, .json or .txt file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto-detect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alpaca (instruction/input/output)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chat (messages)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ShareGPT (conversations)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto (the model&apos;s own when it has one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model&apos;s own (Jinja chat_template)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.template: how chat and instruction records become text. The model&apos;s own template is the chat_template of its tokenizer_config.json, as transformers applies it; the others are built in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.system_prompt: a system message for the chat and Alpaca records that bring none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answers only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completion_only_loss: learn only the answers (prompt masked) or the whole text. Auto: answers only for Alpaca and chat data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max length:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens per example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>examples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token lengths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legend: &lt;span style=&quot;color:%1&quot;&gt;grey text is the prompt (masked, not trained)&lt;/span&gt;, &lt;span style=&quot;background-color:%2&quot;&gt;highlighted text is trained (counts in the loss)&lt;/span&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose training data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.json *.txt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a data file: JSON Lines with &quot;text&quot;, &quot;instruction&quot;/&quot;output&quot;, &quot;messages&quot; or &quot;conversations&quot; (ShareGPT), or plain text with one example per line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a base model first: the preview uses its tokenizer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format: %1 · template: %2 · loss on: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (plain text)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model&apos;s own (%1, Jinja)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · %n training example(s)</source>
        <translation>
            <numerusform> · %n training example</numerusform>
            <numerusform> · %n training examples</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n for validation</source>
        <translation>
            <numerusform>, %n for validation</numerusform>
            <numerusform>, %n for validation</numerusform>
        </translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortest %1, mean %2, longest %3 tokens · %4 cut to max_length %5 · %6 of %7 tokens trained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max_length %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: hold out the fraction above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.validation as a path: a separate validation file (the fraction is then not used)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shuffle every epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.shuffle_seed: the seed of the shuffle and of the validation split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream from disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.streaming: read the file lazily instead of loading it into memory (for large data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a validation file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pack examples into rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.packing: several examples per row of max_length tokens; each attends only to itself and restarts its positions, so its loss is the one it has alone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group batches by length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.group_by_length: unpacked batches of similar lengths, less padding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batching:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Padding:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shown once the data is read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 padded batches · %2 grouped by length · %3 packed (batch %4; in bold: this project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>preference pairs (chosen/rejected, for DPO)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 padded batches · %2 grouped by length (batch %3 pairs; in bold: this project; pairs are not packed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · %n training pair(s)</source>
        <translation>
            <numerusform> · %n training pair</numerusform>
            <numerusform> · %n training pairs</numerusform>
        </translation>
    </message>
    <message>
        <source>cut at the end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cut the prompt to </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> tokens first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data.max_prompt_length: an example longer than max length loses the start of its prompt first, down to this many tokens, so that its answer stays in (0: it loses its end)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long examples:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::DistributedDialog</name>
    <message>
        <source>Run on several GPUs or machines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data parallel: every rank holds the whole model and trains on its own share of each batch; only the LoRA gradients travel between them. A model must fit one device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processes per machine: one per GPU, or on the CPU a share of its cores each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ranks per machine:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Machines:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torchrun: the machine of node rank 0, reachable from the others (Slurm finds it itself)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address of machine 0:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torchrun script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slurm batch file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write Scripts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write both beside the project file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start Here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the ranks on this machine; the Train page follows the job like any background run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ranks. Global batch: %2 (batch) × %3 (accumulation) × %1 (ranks) = %4 examples per optimizer step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each rank needs about %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several machines: run the torchrun script on each, or submit the Slurm batch file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the project first: the scripts and the ranks read its file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written: %1 (on each machine: NODE_RANK=n bash %2) and %3 (sbatch %4).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::EstimateView</name>
    <message>
        <source>enable gradient checkpointing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch size %1 → %2 with gradient accumulation %3 → %4 (same effective batch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max length %1 → %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA dropout 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rank %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no modules trained in full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The line PEFT&apos;s print_trainable_parameters() prints for this configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a base model to see what training costs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 trainable parameters (%2 % of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run needs about %1 more than the %2 available. Changes that help, largest saving first:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saves %1 (peak %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No single setting saves enough: choose a smaller model or a bigger machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the loss backward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a layer&apos;s backward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the forward pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a checkpointed layer&apos;s recomputation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak memory: %1 of %2 %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak GPU memory: %1 (the GPU&apos;s size cannot be read: no NVIDIA driver)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data-parallel group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the gradient all-reduce</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens (the data&apos;s longest example; max_length %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens (packed rows of max_length)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens (the model&apos;s longest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens (max_length, which the data&apos;s longest example reaches)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens (max_length, until the Data page has read the data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max length %1 → %2 tokens, cutting the examples longer than that</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch %1 pairs (%2 rows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sized for %1: %2 × %3, %4, gradient checkpointing %5; peak during %6.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ExportPanel</name>
    <message>
        <source>Merge &amp;&amp; export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEFT adapter (adapter_config.json + adapter_model.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged model (base weights with the update folded in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the base checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapter folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: choose one on the Model page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No adapter in %1 (hint: train first; a run writes outputDir/adapter when it ends)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the base model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the adapter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merging, writing and checking the merged model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the adapter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged model written to %1. Merge check: max |logit difference| = %2 (adapted vs merged).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapter written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF merged model for llama.cpp, Ollama and LM Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF LoRA adapter (for a GGUF of the base model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F16 (half precision)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q8_0 (8-bit blocks, about half of F16)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BF16 (brain float)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F32 (full precision)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ollama Modelfile beside it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes Modelfile (FROM, ADAPTER, the chat template the data was trained with, stop strings); then: ollama create NAME -f Modelfile. An adapter&apos;s Modelfile also gets a GGUF of the base model beside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to GGUF file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF files (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; base model GGUF for Ollama: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the GGUF adapter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merging and writing the GGUF model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to export to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already exists (hint: choose a new name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A GGUF export is one file: give a name ending in .gguf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF written to %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A merged model is written from the original base checkpoint with the update W0 + (alpha/r)·B·A folded in, then checked against the adapted model. A GGUF LoRA carries each module&apos;s own scale (rsLoRA, alpha and rank patterns), so llama.cpp computes the same update.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resized PEFT adapter (each module&apos;s rank cut by the SVD of its update)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep a share of each update&apos;s energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cut every module to at most rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per module the fewest directions whose σᵢ² keep this share of Σσᵢ², rounded up to a power of two (the Inspect page&apos;s suggestion)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resize:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resizing the adapter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA parameters %1 → %2 (r = %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing the original and the resized adapter on a probe text…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; on a probe text of %1 tokens the logits differ by at most %2 (largest |logit| %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resized adapter written to %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q4_K_M (4-bit mix, about 30% of F16; Ollama&apos;s usual)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q4_0 (4-bit blocks, about 28% of F16)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; Ollama (chat template %1): ollama create NAME -f %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q5_K_M (5-bit mix, about 36% of F16)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::LearningSummaryView</name>
    <message>
        <source>Modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‖ΔW‖²_F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eff. rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amplification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of the summed squared Frobenius norm of the updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of the summed effective rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median of ‖ΔW‖_F / ‖Uᵀ W0 V‖_F over the group (LoRA paper §7.3): how much the update amplifies directions the base weight barely uses. Needs the base model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train, or open an adapter, to see where the update is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shares of Σ‖ΔW‖²_F and of Σ effective rank; amplification: median ‖ΔW‖_F / ‖Uᵀ W0 V‖_F.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shares of Σ‖ΔW‖²_F and of Σ effective rank. Amplification needs the base weights: open the adapter with the project&apos;s base model.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::LoraAdvancedEditor</name>
    <message>
        <source>%1, row %2: enter a module pattern, e.g. q_proj</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, row %2: &apos;%3&apos; is not a valid regular expression: %4 at position %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, row %2: the pattern &apos;%3&apos; is already listed above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.exclude_modules: modules left out even when the targets match them. Names separated by commas (a name matches itself and any module ending in .name), or one regex that must match the whole module name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the field as one regular expression instead of a list of names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exclude modules:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none, e.g. lm_head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.modules_to_save: modules trained in full and saved with the adapter, e.g. lm_head when new tokens were added. Costs far more memory than LoRA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train in full:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.rank_pattern: a different rank for modules whose name ends in a match of the pattern (PEFT: (.*\.)?(pattern)$). The first matching row wins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank per module:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.alpha_pattern: a different lora_alpha for modules matching the pattern, the same way as the rank pattern.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alpha per module:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.exclude_modules: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.exclude_modules: all-linear only applies to the target modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, row %2: the rank must be a whole number &gt;= 1, got &apos;%3&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, row %2: alpha must be a number &gt; 0, got &apos;%3&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::LoraPanel</name>
    <message>
        <source>LoRA settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>r: the rank of the update B·A. Parameters grow linearly with r.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank (r):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora_alpha: the update is scaled by alpha / r (alpha / √r with rsLoRA).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alpha:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scaling:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: biases stay frozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all: train every bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora_only: train biases of LoRA modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bias:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full SVD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>iterations: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PiSSA: 0 computes a full SVD; N uses a fast randomized SVD with N iterations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Init:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.device: where the run trains; the estimate is sized for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alpha / √r = %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alpha / r = %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 RAM (CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rsLoRA (scaling alpha / √r)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank-stabilised LoRA: scale the update by alpha / √r instead of alpha / r.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Kaiming-uniform, B zero: training starts from the base model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gaussian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A normal with std 1/r, B zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PiSSA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A and B from the principal singular vectors of each weight; the residual replaces the base weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exclude_modules, modules_to_save, rank_pattern and alpha_pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Advanced (%n in use)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown (no NVIDIA driver to ask)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 (%3), %4 free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DoRA (a trained magnitude per output)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight-decomposed LoRA (PEFT&apos;s use_dora): W&apos; = m · (W + ΔW) / ‖W + ΔW‖ per output row, with the magnitude m trained too. Costs one number per output and some speed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: dense base weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nf4: 4-bit NormalFloat (QLoRA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>int8: 8 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lora.quantization: keep the frozen base weights of the adapted layers quantized while training; each matmul dequantizes them. Merge and export read the original checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all linear layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantize every linear layer except the output head, not only the adapted ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base weights:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nf4 would keep the base weights in %1 instead of %2 (%3 less at the peak).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base weights %1 instead of %2: %3 less at the peak.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bitsandbytes stored every linear layer of this model quantized (%1): they stay so while training, adapted or not.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::MainWindow</name>
    <message>
        <source>LoRA Studio projects (*.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them before closing it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About LoRA Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project opened with warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An untitled project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA Studio did not close normally last time. %1 has unsaved changes from %2.

Restore them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide Later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot recover the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

The autosave file is kept at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovered unsaved changes of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New project: choose a base model and data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1[*] — LoRA Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No base model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base model not readable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output: %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (project folder is read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep training after LoRA Studio closes? The run stops at its next step with a checkpoint and continues at once in a background process (lorastudio-cli) in the same run folder. Opening this project again shows it live, with Pause and Stop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep Training in Background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comments will go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These comments belong to keys that are no longer in the project, so saving drops them:

%1

Save anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window size and the pages&apos; panel sizes as at first start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layout reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the misspelled keys? %1

Keys left as they are stay in the file when it is saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply Corrections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep as Written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown keys stay in the file when it is saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot apply the corrections</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) corrected: save to write them</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Handing the run over to a background process…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot keep training in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following the run training in the background (process %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1, keeping %2 as written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::MemoryBar</name>
    <message>
        <source>GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (off the scale) →</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ModelPanel</name>
    <message>
        <source>Base model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Hugging Face model folder (config.json + *.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MLP size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hugging Face cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use selected model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking in %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not usable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No models found in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) in %1. Double-click one to use it.</source>
        <translation>
            <numerusform>%n model in %1. Double-click it to use it.</numerusform>
            <numerusform>%n models in %1. Double-click one to use it.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (head size %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, key/value %2 (head size %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in config, %2 in the checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, tied embeddings counted once</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n file, %1</numerusform>
            <numerusform>%n files, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linear weights stored quantized by bitsandbytes (%1, double quantization)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linear weights stored quantized by bitsandbytes (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ModulesPanel</name>
    <message>
        <source>%1 (attention)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (MLP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention q, v</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All linear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names: a module is targeted when its name equals an entry or ends with &quot;.entry&quot;. Regex: the expression must match the whole module name. &quot;all-linear&quot; targets every linear layer except the output head.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. q_proj, v_proj   or   .*\.(q|v)_proj</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target modules:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all layers (e.g. 0-3, 8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layers_to_transform: only these layers get LoRA. Applies to name endings, not to regexes or names written out in full (as in PEFT).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape (in → out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (tied)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 modules selected · %3 LoRA parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset: write this selection into the target modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a base model on the Model page to see its modules.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::PatternTable</name>
    <message>
        <source>Pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier rows win: the first pattern that matches a module decides.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::PlaygroundPanel</name>
    <message>
        <source>0: greedy (always the most likely token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With the adapter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapter: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No adapter in %1 yet (train first): only the base model generates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An instruction, e.g. How many legs does a horse have?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrap in the data&apos;s template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On: the text above is an instruction, put in the template the project trains with (data.chat_template, or the tokenizer&apos;s), as the adapter saw its examples. Off: the text is given as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No base model: choose one on the Model page.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language takes effect the next time LoRA Studio starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How often unsaved changes are copied aside for recovery after a crash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosave every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ProjectDocument</name>
    <message>
        <source>Untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adapter settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change to the %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::RankPanel</name>
    <message>
        <source>Open adapter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analyse a PEFT adapter folder (adapter_config.json + adapter_model.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare two…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subspace similarity φ between two adapters or checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No analysis yet: train (a snapshot every few steps) or open an adapter folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Singular values of ΔW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>index i</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>σᵢ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Energy in the top k directions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective rank per layer and module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>effective rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subspace similarity φ(i, j)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>j (second)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>i (first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>φ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare two adapters to see φ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open adapter folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training, step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot analyse %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapter %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot compare %1 with %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: φ(1,1) = %2, φ(r,r) = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>φ of ΔW&apos;s input directions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>φ of ΔW&apos;s output directions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>φ of A&apos;s row space (LoRA paper)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which subspaces are compared. A barely moves from its random start in a short run, so ΔW&apos;s singular directions show more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 vs %2 · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing %1 with %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare: the first adapter or checkpoint (1 of 2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with %1: the second adapter or checkpoint (2 of 2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run completed at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run stopped at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; the spectra are its last snapshot, at step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click a cell to show that module&apos;s singular values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested ranks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where learning happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subspace similarity φ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, amplification %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: r = %2, effective rank %3, k95 = %4%5. %6</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::RankSuggestionView</name>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1% of each update&apos;s energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per module: the fewest directions k whose σᵢ² sum to this share of Σσᵢ², rounded up to a power of two, within [1, r] (docs/insight.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sets lora.rank_pattern of the open project to these ranks (one step of Edit ▸ Undo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>r</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested r</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Energy kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train, or open an adapter, to see which ranks would do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zero update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The update is zero: nothing to measure, r kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>k = %1 directions keep the share; ‖ΔW − ΔW_k‖_F / ‖ΔW‖_F = %2 at the suggested rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA parameters %1 → %2 (%3% fewer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n zero update(s) keep their r.</source>
        <translation>
            <numerusform>%n zero update keeps its r.</numerusform>
            <numerusform>%n zero updates keep their r.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n rank_pattern key(s) into the project (r = %1); Edit ▸ Undo takes them back.</source>
        <translation>
            <numerusform>Wrote %n rank_pattern key into the project (r = %1); Edit ▸ Undo takes it back.</numerusform>
            <numerusform>Wrote %n rank_pattern keys into the project (r = %1); Edit ▸ Undo takes them back.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::RunSettingsPanel</name>
    <message>
        <source>A run is in progress: changes here apply to the next run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &gt; 0, e.g. 2e-4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak learning rate of AdamW, reached after warmup. LoRA usually trains well with 1e-4 to 3e-4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Examples per forward/backward pass. Memory grows with it; lower it if the run does not fit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient accumulation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passes whose gradients add up before one optimizer step: a bigger effective batch without more memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight decay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &gt;= 0, e.g. 0 or 0.01</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdamW&apos;s decoupled weight decay on the LoRA weights; 0 turns it off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam β1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam β2:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be in [0, 1), e.g. 0.9 and 0.999</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decay of AdamW&apos;s running mean of the gradients (β1), usually 0.9.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decay of AdamW&apos;s running mean of the squared gradients (β2), usually 0.999.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam ε:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &gt; 0, e.g. 1e-8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added to AdamW&apos;s denominator for numerical stability, usually 1e-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max gradient norm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &gt;= 0, e.g. 1.0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips the global gradient norm to this value; 0 disables clipping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed for the LoRA initialisation and dropout: the same seed repeats a run exactly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passes over the training data; may be fractional. Ignored when max steps is above 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max steps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer steps to train. Above 0 it wins over epochs; 0 trains for the epochs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 (use epochs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cosine: decay to 0 along a cosine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linear: decay to 0 in a straight line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>constant: keep the peak rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The learning rate&apos;s shape after warmup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warmup steps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linear warmup from 0 over this many steps. Above 0 it wins over the warmup ratio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warmup ratio:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warmup as a fraction of all steps; used when warmup steps is 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision &amp;&amp; memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp32: full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bf16: half the activation memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp16: half precision with loss scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute precision of the forward and backward passes. LoRA weights and optimizer state stay fp32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recompute activations in the backward pass: much less memory, about a third more compute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoints &amp;&amp; logging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps between validation runs; 0 = never.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps between checkpoints; 0 = only at the end. A stopped run always writes one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only at the end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoints kept:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After each save, older checkpoints beyond the newest N are deleted; 0 keeps them all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps between log lines and plot points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spectra every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not valid: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective batch: %1 × %2 = %3 examples per optimizer step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trains %1 optimizer steps: max steps wins, epochs is ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trains %1 epochs (max steps is 0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Epochs and max steps are both 0: nothing would train.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warmup: %1 steps (warmup steps wins over the ratio).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warmup: %1 % of all steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output_dir: where the adapter, checkpoints and metrics.jsonl go; relative to the project&apos;s folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output_dir: must not be empty, e.g. runs/my-lora</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads LibTorch and OpenBLAS compute with on the CPU; 0 = auto: OMP_NUM_THREADS when set, else every physical core.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In use now: %1 thread(s) · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The memory estimate (header, Adapter page) follows these settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps between snapshots of the learned update&apos;s singular values, shown on the Inspect page; 0 = never.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA+ ratio:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &gt;= 0, e.g. 16, or 0 for plain LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA+: the B matrices learn at this many times the learning rate, the A matrices at the learning rate; 0 = off (one learning rate). The paper suggests 16.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Objective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Objective:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SFT: learn the answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DPO β:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &gt; 0, e.g. 0.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How strongly the policy is held near the reference: higher keeps it closer. 0.1 is TRL&apos;s default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DPO loss:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sigmoid: the DPO paper&apos;s loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sigmoid: -log σ(β·margin). IPO: (margin − 1/(2β))², less prone to overfitting on pairs that are always told apart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label smoothing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be in [0, 0.5), e.g. 0.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conservative DPO (sigmoid loss only): the share of pairs whose chosen and rejected answers may be the wrong way round; 0 = plain DPO.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each step compares every pair&apos;s chosen and rejected answer under the adapter and under the base model; the log shows the reward accuracy and margin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The loss is the next-token loss on the answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DPO: prefer the chosen answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPO: squared, on mean log-probabilities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective batch: %1 × %2 = %3 preference pairs per optimizer step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ORPO: learn and prefer the chosen answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SFT trains on the answers of instruction or chat data. DPO (Direct Preference Optimization) trains on preference pairs, a chosen and a rejected answer to each prompt, against the base model as reference (the adapter switched off: no second model in memory). ORPO trains on the same pairs without a reference: the next-token loss on the chosen sequences plus an odds-ratio term that favours them over the rejected ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ORPO λ:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight of ORPO&apos;s odds-ratio term beside the next-token loss (the paper&apos;s λ; TRL&apos;s beta). 0.1 is TRL&apos;s default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ %1 trains on preference pairs: set the data format to preference pairs (Data page).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ The data holds preference pairs, which train with DPO or ORPO.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each step learns the chosen answers and compares their odds with the rejected ones; no reference pass. The log shows the reward accuracy and margin.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::StudioHeader</name>
    <message>
        <source>The open project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trainable parameters of this adapter (exact, as PEFT counts them). Click for the Adapter page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated peak memory of a training step against the device&apos;s memory. Click for the Adapter page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The training run. Click for the Train page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No base model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a base model on the Model page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; trainable (%2 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak &lt;b&gt;%1&lt;/b&gt; (the GPU&apos;s size cannot be read)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak &lt;b&gt;%1&lt;/b&gt; of %2 %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diverged at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model and data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused at step %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training · step %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::StudioPages</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The base model: its folder, architecture and size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target modules, rank, alpha and what they cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The training data, its template and its token lengths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run settings, start and watch the run, earlier runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Singular values of the learned update, per module; compare checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playground</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate with the base and the adapted model side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the PEFT adapter or the merged model</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::TrainingController</name>
    <message>
        <source>A training run is already active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The project&apos;s folder is read-only: output goes to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start a training thread.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A background run is still training in %1 (hint: open its project to follow, pause or stop it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A background run is still training in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No background run is training in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The background run (process %1) ended without finishing its status (hint: see background.log in %2; its newest checkpoint can be resumed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No training run in this window to continue in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot find the command-line trainer at %1 (hint: it is installed beside the studio, or set LORASTUDIO_CLI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run stopped before its first checkpoint: there is nothing to continue in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data-parallel job did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::TrainingPanel</name>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a fresh run of the open project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop at the next step: a checkpoint and the adapter are written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue from the newest checkpoint in the output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the trained adapter as a PEFT adapter or as a merged model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train (EMA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>earlier: train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>earlier: validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‖g‖ (unclipped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grad norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measured peak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trainer&apos;s log appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay an earlier run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics (metrics.jsonl *.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint at step %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training started; output: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No checkpoint to resume from in %1 (hint: a run writes one every save_every steps and when it is stopped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resumed from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 / %2 · epoch %3 · elapsed %4 · ETA %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation at step %1: loss %2, perplexity %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at step %2 / %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2: not a JSON object (hint: pick a run&apos;s metrics.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no step or eval lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>earlier: train (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reserved peak (CUDA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allocated peak (CUDA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier runs of this output folder (each Start keeps the one before in runs/): draw one behind the live curves, or delete one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No earlier run in this output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other metrics.jsonl…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete an earlier run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the run %1 with its checkpoints, adapter and metrics? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted the earlier run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model and data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed before the first step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose a base model first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume an earlier run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following the background run (process %1) in %2: Pause and Stop act on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several GPUs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run on several GPUs or machines: launch scripts (torchrun, Slurm), or several ranks here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chosen − rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reward margin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation at step %1: loss %2, reward accuracy %3, margin %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
