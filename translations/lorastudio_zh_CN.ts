<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CoreError</name>
    <message>
        <source>%1: file is too small (%2 bytes) to hold the 8-byte header length</source>
        <translation>%1：文件太小（%2 字节），放不下 8 字节的头部长度</translation>
    </message>
    <message>
        <source>%1: header length %2 runs past the end of the file (size %3)</source>
        <translation>%1：头部长度 %2 超出了文件末尾（文件大小 %3）</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos;: byte range [%3, %4) ends past the end of the data region (size %5)</source>
        <translation>%1：张量 &apos;%2&apos;：字节范围 [%3, %4) 超出了数据区的末尾（数据区大小 %5）</translation>
    </message>
    <message>
        <source>%1: header length %2 exceeds the limit of %3 bytes</source>
        <translation>%1：头部长度 %2 超过了 %3 字节的上限</translation>
    </message>
    <message>
        <source>%1: header is not valid JSON (near file offset %2): %3</source>
        <translation>%1：头部不是有效的 JSON（约在文件偏移 %2 处）：%3</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos;: unknown dtype &apos;%3&apos;</source>
        <translation>%1：张量 &apos;%2&apos;：未知的数据类型 &apos;%3&apos;</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos;: shape [%3] of %4 needs %5 bytes, but data_offsets [%6, %7) span %8</source>
        <translation>%1：张量 &apos;%2&apos;：形状 [%3] 的 %4 数据需要 %5 字节，但 data_offsets [%6, %7) 只有 %8 字节</translation>
    </message>
    <message>
        <source>%1: folder holds no model.safetensors, model.safetensors.index.json or adapter_model.safetensors</source>
        <translation>%1：文件夹中没有 model.safetensors、model.safetensors.index.json 或 adapter_model.safetensors</translation>
    </message>
    <message>
        <source>%1: missing tensors: %2</source>
        <translation>%1：缺少张量：%2</translation>
    </message>
    <message>
        <source>%1: misshapen tensors: %2</source>
        <translation>%1：张量形状不符：%2</translation>
    </message>
    <message>
        <source>%1: line %2, column %3: malformed JSON: %4</source>
        <translation>%1：第 %2 行第 %3 列：JSON 格式错误：%4</translation>
    </message>
    <message>
        <source>%1: missing object &apos;weight_map&apos; (tensor name -&gt; shard file)</source>
        <translation>%1：缺少对象 &apos;weight_map&apos;（张量名 -&gt; 分片文件）</translation>
    </message>
    <message>
        <source>%1: shard &apos;%2&apos; (holding tensor &apos;%3&apos;) does not exist</source>
        <translation>%1：分片 &apos;%2&apos;（存放张量 &apos;%3&apos;）不存在</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; is listed in shard &apos;%3&apos; but is not in it</source>
        <translation>%1：索引把张量 &apos;%2&apos; 列在分片 &apos;%3&apos; 中，但该分片里没有它</translation>
    </message>
    <message>
        <source>%1: shard &apos;%2&apos; lies outside the model folder</source>
        <translation>%1：分片 &apos;%2&apos; 位于模型文件夹之外</translation>
    </message>
    <message>
        <source>%1: shard &apos;%2&apos; is a link to %3, outside the model folder</source>
        <translation>%1：分片 &apos;%2&apos; 是指向 %3 的链接，位于模型文件夹之外</translation>
    </message>
    <message>
        <source>%1: no such model folder</source>
        <translation>%1：没有这个模型文件夹</translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation>%1：没有这个文件</translation>
    </message>
    <message>
        <source>%1: unknown architecture &apos;%2&apos; (key &apos;%3&apos;)</source>
        <translation>%1：未知的架构 &apos;%2&apos;（键 &apos;%3&apos;）</translation>
    </message>
    <message>
        <source>%1: key &apos;%2&apos; is missing</source>
        <translation>%1：缺少键 &apos;%2&apos;</translation>
    </message>
    <message>
        <source>%1: key &apos;%2&apos; has the wrong type (%3)</source>
        <translation>%1：键 &apos;%2&apos; 的类型不对（%3）</translation>
    </message>
    <message>
        <source>%1: no tokenizer.json in this folder</source>
        <translation>%1：此文件夹中没有 tokenizer.json</translation>
    </message>
    <message>
        <source>%1: model.type: unknown model type &apos;%2&apos;</source>
        <translation>%1：model.type：未知的模型类型 &apos;%2&apos;</translation>
    </message>
    <message>
        <source>%1: %2: must be a string or an AddedToken object, found %3</source>
        <translation>%1：%2：必须是字符串或 AddedToken 对象，实际是 %3</translation>
    </message>
    <message>
        <source>%1: peft_type is &apos;%2&apos;, only LORA adapters are supported</source>
        <translation>%1：peft_type 是 &apos;%2&apos;，只支持 LORA 适配器</translation>
    </message>
    <message>
        <source>%1: tensor &apos;%2&apos; has shape [%3], expected [%4]</source>
        <translation>%1：张量 &apos;%2&apos; 的形状是 [%3]，应为 [%4]</translation>
    </message>
    <message>
        <source>%1: missing tensor &apos;%2&apos;</source>
        <translation>%1：缺少张量 &apos;%2&apos;</translation>
    </message>
    <message>
        <source>%1: lora.target_modules: target_modules %2 matched no linear module</source>
        <translation>%1：lora.target_modules：target_modules %2 没有匹配到任何线性模块</translation>
    </message>
    <message>
        <source>lora.target_modules: target_modules %1 matched no linear module</source>
        <translation>lora.target_modules：target_modules %1 没有匹配到任何线性模块</translation>
    </message>
    <message>
        <source>%1: malformed YAML: %2</source>
        <translation>%1：YAML 格式错误：%2</translation>
    </message>
    <message>
        <source>%1: expected a mapping of keys at the top level, got a list</source>
        <translation>%1：顶层应为键值映射，实际是列表</translation>
    </message>
    <message>
        <source>%1: expected a mapping of keys at the top level, got %2</source>
        <translation>%1：顶层应为键值映射，实际是 %2</translation>
    </message>
    <message>
        <source>%1: data file does not exist</source>
        <translation>%1：数据文件不存在</translation>
    </message>
    <message>
        <source>%1: no records: the file is empty</source>
        <translation>%1：没有记录：文件是空的</translation>
    </message>
    <message>
        <source>%1: no valid record among %2 malformed lines</source>
        <translation>%1：共 %2 行格式错误，没有一条有效记录</translation>
    </message>
    <message>
        <source>the model&apos;s chat_template: cannot be used: chat template line %1, column %2: %3</source>
        <translation>模型的 chat_template 无法使用：聊天模板第 %1 行第 %2 列：%3</translation>
    </message>
    <message>
        <source>data.template: is model, but the tokenizer has no chat_template</source>
        <translation>data.template：设为 model，但分词器没有 chat_template</translation>
    </message>
    <message>
        <source>GGUF %1: no GGUF magic (at byte %2)</source>
        <translation>GGUF %1：没有 GGUF 魔数（在第 %2 字节）</translation>
    </message>
    <message>
        <source>GGUF %1: the file ends inside %2 (at byte %3)</source>
        <translation>GGUF %1：文件在读取“%2”时就结束了（在第 %3 字节）</translation>
    </message>
    <message>
        <source>GGUF %1: %2 %3 is more than the file can hold (at byte %4)</source>
        <translation>GGUF %1：“%2”为 %3，超出了文件所能容纳的数量（在第 %4 字节）</translation>
    </message>
    <message>
        <source>GGUF export: llama.cpp&apos;s %1 graph always uses the embedding as the output head; this model&apos;s config (%2) sets tie_word_embeddings false</source>
        <translation>GGUF 导出：llama.cpp 的 %1 计算图总是用词嵌入作输出头；此模型的配置（%2）把 tie_word_embeddings 设为 false</translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is NaN (micro-batch %2 of %3). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation>训练在第 %1 步停止：损失为 NaN（第 %2 个微批次，共 %3 个）。这一步没有保存任何内容；最后一个正常的检查点保留不变</translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is infinite (micro-batch %2 of %3). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation>训练在第 %1 步停止：损失为无穷大（第 %2 个微批次，共 %3 个）。这一步没有保存任何内容；最后一个正常的检查点保留不变</translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is NaN on at least one rank. Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation>训练在第 %1 步停止：至少一个进程的损失为 NaN。这一步没有保存任何内容；最后一个正常的检查点保留不变</translation>
    </message>
    <message>
        <source>Training stopped at step %1: the loss is infinite on at least one rank. Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation>训练在第 %1 步停止：至少一个进程的损失为无穷大。这一步没有保存任何内容；最后一个正常的检查点保留不变</translation>
    </message>
    <message>
        <source>Training stopped at step %1: the gradient norm is NaN (loss %2). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation>训练在第 %1 步停止：梯度范数为 NaN（损失 %2）。这一步没有保存任何内容；最后一个正常的检查点保留不变</translation>
    </message>
    <message>
        <source>Training stopped at step %1: the gradient norm is infinite (loss %2). Nothing was saved for this step; the last good checkpoint is kept</source>
        <translation>训练在第 %1 步停止：梯度范数为无穷大（损失 %2）。这一步没有保存任何内容；最后一个正常的检查点保留不变</translation>
    </message>
    <message>
        <source>%1: not a training checkpoint (no trainer_state.json)</source>
        <translation>%1：不是训练检查点（没有 trainer_state.json）</translation>
    </message>
    <message>
        <source>%1: incomplete checkpoint: %2 is missing</source>
        <translation>%1：检查点不完整：缺少 %2</translation>
    </message>
    <message>
        <source>%1 (hint: %2)</source>
        <translation>%1（提示：%2）</translation>
    </message>
    <message>
        <source>%1: expected a whole number, got %2</source>
        <translation>%1：应为整数，实际是 %2</translation>
    </message>
    <message>
        <source>%1: must be &gt;= %2, got %3</source>
        <translation>%1：必须 &gt;= %2，实际是 %3</translation>
    </message>
    <message>
        <source>%1: must be &gt; %2, got %3</source>
        <translation>%1：必须 &gt; %2，实际是 %3</translation>
    </message>
    <message>
        <source>%1: must be in %2, got %3</source>
        <translation>%1：必须在 %2 范围内，实际是 %3</translation>
    </message>
    <message>
        <source>%1: must be from %2 to %3, got %4</source>
        <translation>%1：必须在 %2 到 %3 之间，实际是 %4</translation>
    </message>
    <message>
        <source>%1: expected one of %2, got %3</source>
        <translation>%1：应为 %2 之一，实际是 %3</translation>
    </message>
    <message>
        <source>version: unsupported schema version %1</source>
        <translation>version：不支持的文件格式版本 %1</translation>
    </message>
    <message>
        <source>%1: must not be an empty name</source>
        <translation>%1：名称不能为空</translation>
    </message>
    <message>
        <source>%1: must not be empty</source>
        <translation>%1：不能为空</translation>
    </message>
    <message>
        <source>lora.target_modules: the target list is empty, so LoRA would train nothing</source>
        <translation>lora.target_modules：目标列表为空，LoRA 将什么也不训练</translation>
    </message>
    <message>
        <source>lora.target_modules: the target regex is empty</source>
        <translation>lora.target_modules：目标正则表达式为空</translation>
    </message>
    <message>
        <source>lora.exclude_modules: all-linear is only meaningful for target_modules</source>
        <translation>lora.exclude_modules：all-linear 只对 target_modules 有意义</translation>
    </message>
    <message>
        <source>%1: a pattern is empty</source>
        <translation>%1：有一个模式为空</translation>
    </message>
    <message>
        <source>lora.init: pissa_niter is only valid with pissa (got %1)</source>
        <translation>lora.init：pissa_niter 只能与 pissa 一起使用（实际是 %1）</translation>
    </message>
    <message>
        <source>lora.init: PiSSA needs the full-precision base weights, but lora.quantization is %1</source>
        <translation>lora.init：PiSSA 需要全精度的基础权重，但 lora.quantization 是 %1</translation>
    </message>
    <message>
        <source>lora.quantize_all_linear: is true, but lora.quantization is none</source>
        <translation>lora.quantize_all_linear：设为 true，但 lora.quantization 是 none</translation>
    </message>
    <message>
        <source>data.validation: a validation fraction must be in [0, 1), got %1</source>
        <translation>data.validation：验证集比例必须在 [0, 1) 范围内，实际是 %1</translation>
    </message>
    <message>
        <source>data.validation: give either a fraction or a path, not both</source>
        <translation>data.validation：比例和路径只能给一个，不能同时给</translation>
    </message>
    <message>
        <source>training.epochs: epochs is 0 and max_steps is 0, so nothing would train</source>
        <translation>training.epochs：epochs 为 0 且 max_steps 为 0，因此什么也不会训练</translation>
    </message>
    <message>
        <source>training.device: unknown device &apos;%1&apos;</source>
        <translation>training.device：未知的设备 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>training.device: &apos;%1&apos; requested, but this build sees no CUDA GPU</source>
        <translation>training.device：请求了 &apos;%1&apos;，但此版本看不到 CUDA GPU</translation>
    </message>
    <message>
        <source>training.device: &apos;%1&apos;: there are %2 GPU(s)</source>
        <translation>training.device：&apos;%1&apos;：只有 %2 个 GPU</translation>
    </message>
    <message>
        <source>training.device: &apos;%1&apos; is not a device</source>
        <translation>training.device：&apos;%1&apos; 不是设备</translation>
    </message>
    <message>
        <source>base_model: no base model given</source>
        <translation>base_model：没有指定基础模型</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>training.dpo_label_smoothing: applies to the sigmoid loss only, and dpo_loss is ipo</source>
        <translation>training.dpo_label_smoothing：只适用于 sigmoid 损失，而 dpo_loss 是 ipo</translation>
    </message>
    <message>
        <source>%1: DPO&apos;s reference is the base model with the adapters switched off, and trained biases or modules_to_save would change it too</source>
        <translation>%1：DPO 的参考模型是关闭适配器后的基础模型，而训练偏置或 modules_to_save 也会改变它</translation>
    </message>
    <message>
        <source>data.completion_only_loss: is false, but preference pairs compare the answers only</source>
        <translation>data.completion_only_loss：设为 false，但偏好对只比较回答部分</translation>
    </message>
    <message>
        <source>training.objective: %1 trains on preference pairs, and data.format is %2</source>
        <translation>training.objective：%1 在偏好对上训练，而 data.format 是 %2</translation>
    </message>
    <message>
        <source>data.format: preference pairs train with training.objective: dpo or orpo, and the objective is sft</source>
        <translation>data.format：偏好对要用 training.objective: dpo 或 orpo 训练，而训练目标是 sft</translation>
    </message>
    <message>
        <source>data.packing: %1 compares each chosen answer with its rejected one row by row, so rows cannot be packed</source>
        <translation>data.packing：%1 逐行比较每个选中回答与其被拒绝的回答，因此不能打包多行</translation>
    </message>
    <message>
        <source>%1: holds %2 records, and training.objective %3 needs preference pairs</source>
        <translation>%1：其中是 %2 记录，而 training.objective %3 需要偏好对</translation>
    </message>
    <message>
        <source>%1: holds preference pairs (chosen and rejected answers), which train with DPO or ORPO</source>
        <translation>%1：其中是偏好对（选中与被拒绝的回答），应使用 DPO 或 ORPO 训练</translation>
    </message>
    <message>
        <source>data.max_prompt_length: must be less than max_length (%1), got %2, which leaves no room for the answer</source>
        <translation>data.max_prompt_length：必须小于 max_length（%1），当前为 %2，这样就没有留给回答的位置</translation>
    </message>
</context>
<context>
    <name>CoreHint</name>
    <message>
        <source>the file is empty or truncated; download or copy it again</source>
        <translation>文件是空的或不完整；请重新下载或复制</translation>
    </message>
    <message>
        <source>the file is truncated; download or copy it again</source>
        <translation>文件不完整；请重新下载或复制</translation>
    </message>
    <message>
        <source>this is not a safetensors file, or its first 8 bytes are corrupt</source>
        <translation>这不是 safetensors 文件，或者它的前 8 个字节已损坏</translation>
    </message>
    <message>
        <source>the file is corrupt or not a safetensors file</source>
        <translation>文件已损坏，或者不是 safetensors 文件</translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation>应为以下之一：%1</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>应为 %1</translation>
    </message>
    <message>
        <source>the header is malformed; the file was written by a non-conforming tool</source>
        <translation>头部格式有误；写出此文件的工具不符合规范</translation>
    </message>
    <message>
        <source>is this a Hugging Face model folder? (.bin/.pt checkpoints are not read; convert them to safetensors)</source>
        <translation>这是 Hugging Face 模型文件夹吗？（不读取 .bin/.pt 检查点；请先转换为 safetensors）</translation>
    </message>
    <message>
        <source>is this checkpoint for a different architecture/size? config says %1, %2 layers, hidden %3</source>
        <translation>这个检查点是否属于另一种架构/规模？config 写的是 %1，%2 层，隐藏维度 %3</translation>
    </message>
    <message>
        <source>the file is cut short or was edited by hand; fix it there, or download it again</source>
        <translation>文件被截断或被手工改过；请在该处修正，或重新下载</translation>
    </message>
    <message>
        <source>is this a *.safetensors.index.json?</source>
        <translation>这是 *.safetensors.index.json 文件吗？</translation>
    </message>
    <message>
        <source>the download is incomplete; fetch %1</source>
        <translation>下载不完整；请获取 %1</translation>
    </message>
    <message>
        <source>the index and the shards do not belong together; download them again</source>
        <translation>索引与分片不匹配；请重新下载它们</translation>
    </message>
    <message>
        <source>check the path (base_model in a project); a Hugging Face model folder holds config.json and *.safetensors</source>
        <translation>请检查路径（项目中的 base_model）；Hugging Face 模型文件夹包含 config.json 和 *.safetensors</translation>
    </message>
    <message>
        <source>a Hugging Face model folder holds config.json beside its *.safetensors; is this the right folder?</source>
        <translation>Hugging Face 模型文件夹在 *.safetensors 旁边有 config.json；这是正确的文件夹吗？</translation>
    </message>
    <message>
        <source>this build supports %1</source>
        <translation>此版本支持 %1</translation>
    </message>
    <message>
        <source>the file is incomplete or was edited by hand; take it from the original download</source>
        <translation>文件不完整或被手工改过；请从原始下载中重新取得</translation>
    </message>
    <message>
        <source>LoRA Studio needs the Hugging Face fast-tokenizer file tokenizer.json</source>
        <translation>LoRA Studio 需要 Hugging Face 快速分词器文件 tokenizer.json</translation>
    </message>
    <message>
        <source>write the token&apos;s text, e.g. %1</source>
        <translation>请写出该词元的文本，例如 %1</translation>
    </message>
    <message>
        <source>a PEFT adapter folder holds adapter_config.json and adapter_model.safetensors; check the path</source>
        <translation>PEFT 适配器文件夹包含 adapter_config.json 和 adapter_model.safetensors；请检查路径</translation>
    </message>
    <message>
        <source>LoRA Studio reads PEFT LoRA adapters (DoRA included); train or convert a LoRA adapter</source>
        <translation>LoRA Studio 读取 PEFT 的 LoRA 适配器（包括 DoRA）；请训练或转换出一个 LoRA 适配器</translation>
    </message>
    <message>
        <source>maybe wrong base model, or r differs from adapter_config.json (r = %1 for this module)</source>
        <translation>可能是基础模型不对，或者 r 与 adapter_config.json 不一致（此模块 r = %1）</translation>
    </message>
    <message>
        <source>the file does not hold every module adapter_config.json targets</source>
        <translation>文件没有包含 adapter_config.json 指定的全部模块</translation>
    </message>
    <message>
        <source>only safetensors adapters are read; convert adapter_model.bin with PEFT (safe_serialization=True)</source>
        <translation>只读取 safetensors 适配器；请用 PEFT 转换 adapter_model.bin（safe_serialization=True）</translation>
    </message>
    <message>
        <source>available modules include %1 (%2 in all); their name endings are %3</source>
        <translation>可用的模块有 %1（共 %2 个）；它们的名称结尾为 %3</translation>
    </message>
    <message>
        <source>check the indentation (spaces, not tabs), colons and brackets near this place</source>
        <translation>请检查此处附近的缩进（用空格，不用制表符）、冒号和括号</translation>
    </message>
    <message>
        <source>a project file starts with lines such as &apos;version: 1&apos; and &apos;base_model: ...&apos;</source>
        <translation>项目文件以 &apos;version: 1&apos; 和 &apos;base_model: ...&apos; 这样的行开头</translation>
    </message>
    <message>
        <source>the LoRA rank, e.g. %1</source>
        <translation>LoRA 的秩，例如 %1</translation>
    </message>
    <message>
        <source>the LoRA rank, typically %1 to %2</source>
        <translation>LoRA 的秩，通常为 %1 到 %2</translation>
    </message>
    <message>
        <source>often 2 * r, e.g. %1</source>
        <translation>通常为 2 * r，例如 %1</translation>
    </message>
    <message>
        <source>e.g. %1; 0 disables dropout</source>
        <translation>例如 %1；0 表示不使用 dropout</translation>
    </message>
    <message>
        <source>this LoRA Studio reads version %1; a newer file needs a newer LoRA Studio</source>
        <translation>此版本的 LoRA Studio 读取版本 %1；更新的文件需要更新的 LoRA Studio</translation>
    </message>
    <message>
        <source>check data.path in the project</source>
        <translation>请检查项目中的 data.path</translation>
    </message>
    <message>
        <source>expected JSONL (one JSON object per line), a JSON array of objects, or plain text in a .txt file</source>
        <translation>应为 JSONL（每行一个 JSON 对象）、由对象组成的 JSON 数组，或 .txt 文件中的纯文本</translation>
    </message>
    <message>
        <source>chat templates are rendered without the &apos;%1&apos; tag</source>
        <translation>渲染聊天模板时不支持 &apos;%1&apos; 标签</translation>
    </message>
    <message>
        <source>set data.template to chatml (a built-in template) to train without the model&apos;s own</source>
        <translation>把 data.template 设为 chatml（内置模板），不用模型自带的模板来训练</translation>
    </message>
    <message>
        <source>choose a built-in template such as chatml, or add chat_template to tokenizer_config.json</source>
        <translation>请选择一个内置模板（如 chatml），或在 tokenizer_config.json 中加入 chat_template</translation>
    </message>
    <message>
        <source>the file is truncated or not a GGUF file</source>
        <translation>文件不完整，或者不是 GGUF 文件</translation>
    </message>
    <message>
        <source>export the merged model as safetensors instead</source>
        <translation>请改为把合并后的模型导出为 safetensors</translation>
    </message>
    <message>
        <source>lower training.lr, keep max_grad_norm &gt; 0, or use fp32</source>
        <translation>请降低 training.lr，保持 max_grad_norm &gt; 0，或使用 fp32</translation>
    </message>
    <message>
        <source>pass a folder like %1</source>
        <translation>请传入类似 %1 的文件夹</translation>
    </message>
    <message>
        <source>resume from another checkpoint of the run (%1)</source>
        <translation>请从这次运行的另一个检查点恢复（%1）</translation>
    </message>
    <message>
        <source>the checkpoint was written for another LoRA rank or base model</source>
        <translation>该检查点是为另一个 LoRA 秩或基础模型写出的</translation>
    </message>
    <message>
        <source>an index names shards by their file names in its own folder; this one is broken or unsafe</source>
        <translation>索引应以文件名指向其所在文件夹中的分片；这个索引已损坏或不安全</translation>
    </message>
    <message>
        <source>copy the file into the model folder if it belongs to this model</source>
        <translation>如果该文件属于此模型，请把它复制到模型文件夹中</translation>
    </message>
    <message>
        <source>list module names such as [q_proj, v_proj], give one regex, or write all-linear</source>
        <translation>请列出模块名（如 [q_proj, v_proj]），或给出一个正则表达式，或写 all-linear</translation>
    </message>
    <message>
        <source>list module names or give one regex</source>
        <translation>请列出模块名或给出一个正则表达式</translation>
    </message>
    <message>
        <source>layer indices start at 0</source>
        <translation>层的编号从 0 开始</translation>
    </message>
    <message>
        <source>a rank, e.g. %1</source>
        <translation>一个秩，例如 %1</translation>
    </message>
    <message>
        <source>write pissa or pissa_niter_16</source>
        <translation>请写 pissa 或 pissa_niter_16</translation>
    </message>
    <message>
        <source>use init: default with a quantized base, or quantization: none</source>
        <translation>基础模型量化时请用 init: default，或设 quantization: none</translation>
    </message>
    <message>
        <source>set quantization: nf4 or int8, or quantize_all_linear: false</source>
        <translation>请设 quantization: nf4 或 int8，或设 quantize_all_linear: false</translation>
    </message>
    <message>
        <source>e.g. %1, or a file path in quotes</source>
        <translation>例如 %1，或用引号括起的文件路径</translation>
    </message>
    <message>
        <source>set the fraction to 0 to use the file</source>
        <translation>把比例设为 0 以使用该文件</translation>
    </message>
    <message>
        <source>tokens per example, e.g. %1</source>
        <translation>每个样本的词元数，例如 %1</translation>
    </message>
    <message>
        <source>set epochs (e.g. %1) or max_steps (e.g. %2)</source>
        <translation>请设置 epochs（例如 %1）或 max_steps（例如 %2）</translation>
    </message>
    <message>
        <source>0 means: train for `epochs`</source>
        <translation>0 表示：按 `epochs` 训练</translation>
    </message>
    <message>
        <source>1 means no accumulation</source>
        <translation>1 表示不累积</translation>
    </message>
    <message>
        <source>0 means: use warmup_ratio</source>
        <translation>0 表示：使用 warmup_ratio</translation>
    </message>
    <message>
        <source>e.g. %1; lower it if memory runs out</source>
        <translation>例如 %1；内存不足时请调低</translation>
    </message>
    <message>
        <source>e.g. %1; 0 disables clipping</source>
        <translation>例如 %1；0 表示不裁剪</translation>
    </message>
    <message>
        <source>e.g. %1 (the LoRA+ paper&apos;s choice), or 0 for plain LoRA</source>
        <translation>例如 %1（LoRA+ 论文的取值），或 0 表示普通 LoRA</translation>
    </message>
    <message>
        <source>steps between evaluations; 0 = never</source>
        <translation>两次评估之间的步数；0 = 从不</translation>
    </message>
    <message>
        <source>steps between checkpoints; 0 = only at the end</source>
        <translation>两个检查点之间的步数；0 = 只在结束时</translation>
    </message>
    <message>
        <source>steps between log lines, e.g. %1</source>
        <translation>两行日志之间的步数，例如 %1</translation>
    </message>
    <message>
        <source>checkpoints kept, e.g. %1; 0 = keep all</source>
        <translation>保留的检查点数，例如 %1；0 = 全部保留</translation>
    </message>
    <message>
        <source>steps between spectra snapshots, e.g. %1; 0 = never</source>
        <translation>两次谱快照之间的步数，例如 %1；0 = 从不</translation>
    </message>
    <message>
        <source>CPU threads, e.g. %1; 0 = every physical core</source>
        <translation>CPU 线程数，例如 %1；0 = 所有物理核心</translation>
    </message>
    <message>
        <source>seconds a rank waits for the others, e.g. %1 (longer than an evaluation or a checkpoint takes)</source>
        <translation>一个进程等待其他进程的秒数，例如 %1（要长于一次评估或保存检查点所需的时间）</translation>
    </message>
    <message>
        <source>MiB of gradients per all-reduce bucket, e.g. %1; 0 = one all-reduce after backward</source>
        <translation>每个 all-reduce 桶的梯度 MiB 数，例如 %1；0 = 反向传播后做一次 all-reduce</translation>
    </message>
    <message>
        <source>one of auto, cpu, cuda, cuda:N</source>
        <translation>可选 auto、cpu、cuda、cuda:N</translation>
    </message>
    <message>
        <source>use device: cpu or auto, or a CUDA build of LoRA Studio</source>
        <translation>请用 device: cpu 或 auto，或使用 CUDA 版本的 LoRA Studio</translation>
    </message>
    <message>
        <source>use cuda:0 .. cuda:%1</source>
        <translation>请用 cuda:0 .. cuda:%1</translation>
    </message>
    <message>
        <source>add e.g. base_model: %1 (a Hugging Face model folder)</source>
        <translation>请添加例如 base_model: %1（一个 Hugging Face 模型文件夹）</translation>
    </message>
    <message>
        <source>e.g. &apos;%1&apos; or all-linear</source>
        <translation>例如 &apos;%1&apos; 或 all-linear</translation>
    </message>
    <message>
        <source>e.g. %1 or %2</source>
        <translation>例如 %1 或 %2</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例如 %1</translation>
    </message>
    <message>
        <source>e.g. %1 (TRL&apos;s default); higher keeps the policy nearer the base model</source>
        <translation>例如 %1（TRL 的默认值）；越大，策略越接近基础模型</translation>
    </message>
    <message>
        <source>the share of pairs whose labels may be flipped, e.g. %1; 0 = plain DPO</source>
        <translation>标签可能标反的偏好对所占比例，例如 %1；0 = 普通 DPO</translation>
    </message>
    <message>
        <source>set dpo_label_smoothing: 0, or dpo_loss: sigmoid</source>
        <translation>设置 dpo_label_smoothing: 0，或 dpo_loss: sigmoid</translation>
    </message>
    <message>
        <source>set data.format: preference (records with prompt, chosen and rejected), or objective: sft</source>
        <translation>设置 data.format: preference（含 prompt、chosen 和 rejected 的记录），或 objective: sft</translation>
    </message>
    <message>
        <source>set data.packing: false (data.group_by_length still saves padding)</source>
        <translation>设置 data.packing: false（data.group_by_length 仍可减少填充）</translation>
    </message>
    <message>
        <source>set lora.bias: none and lora.modules_to_save: [] for DPO</source>
        <translation>DPO 请设置 lora.bias: none 和 lora.modules_to_save: []</translation>
    </message>
    <message>
        <source>preference records look like {&quot;prompt&quot;: &quot;...&quot;, &quot;chosen&quot;: &quot;...&quot;, &quot;rejected&quot;: &quot;...&quot;}, with message lists in place of the strings for chat data; or set training.objective: sft</source>
        <translation>偏好记录形如 {&quot;prompt&quot;: &quot;...&quot;, &quot;chosen&quot;: &quot;...&quot;, &quot;rejected&quot;: &quot;...&quot;}，对话数据则用消息列表代替字符串；或设置 training.objective: sft</translation>
    </message>
    <message>
        <source>remove data.completion_only_loss (or set it to true) for preference data</source>
        <translation>偏好数据请删除 data.completion_only_loss（或设为 true）</translation>
    </message>
    <message>
        <source>set training.objective: dpo or orpo, or use answer data (chat, alpaca, text) for sft</source>
        <translation>设置 training.objective: dpo 或 orpo，或为 sft 使用回答数据（chat、alpaca、text）</translation>
    </message>
    <message>
        <source>e.g. %1 (TRL&apos;s default, the ORPO paper&apos;s lambda)</source>
        <translation>例如 %1（TRL 的默认值，即 ORPO 论文中的 lambda）</translation>
    </message>
    <message>
        <source>set training.objective: dpo or orpo, or train on the chosen answers as chat records with objective sft</source>
        <translation>设置 training.objective: dpo 或 orpo，或把选中的回答作为对话记录、以 sft 目标训练</translation>
    </message>
    <message>
        <source>e.g. a quarter of max_length; 0 cuts long examples at their end only</source>
        <translation>例如 max_length 的四分之一；0 表示长样本只从末尾截断</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>chosen</source>
        <translation>选中</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>%1:%2 · %3 tokens, %4 trained</source>
        <translation>%1:%2 · %3 个 token，其中 %4 个参与训练</translation>
    </message>
    <message>
        <source> · cut from %1 tokens</source>
        <translation> · 由 %1 个 token 截断</translation>
    </message>
</context>
<context>
    <name>DataWarning</name>
    <message>
        <source>the model&apos;s chat template renders earlier turns differently once later turns follow, so the trained part of %1 examples was located approximately; the first is %2 (hint: check the preview, or set data.template to a built-in template for exact masks)</source>
        <translation>模型的聊天模板在后续轮次出现后会以不同方式渲染先前的轮次，因此 %1 个样本的训练部分是近似定位的；第一个是 %2（提示：请检查预览，或将 data.template 设为内置模板以得到精确的掩码）</translation>
    </message>
    <message>
        <source>%1 is not a token of this tokenizer: the %2 markers are learned as plain text, and an EOS follows each assistant turn (hint: a model made for %2 has these tokens)</source>
        <translation>%1 不是此分词器的词元：%2 标记将作为普通文本学习，且每个助手轮次后附加一个 EOS（提示：为 %2 制作的模型具有这些词元）</translation>
    </message>
    <message>
        <source>the tokenizer has no eos_token: examples end without one, so the model may not learn to stop (hint: set eos_token in tokenizer_config.json)</source>
        <translation>分词器没有 eos_token：样本结尾不带结束词元，模型可能学不会停止（提示：在 tokenizer_config.json 中设置 eos_token）</translation>
    </message>
    <message>
        <source>%1 of %2 training examples are longer than max_length %3 tokens and were truncated, keeping their start (hint: raise data.max_length; the longest has %4 tokens)</source>
        <translation>%2 个训练样本中有 %1 个超过 max_length %3 个词元，已截断并保留开头部分（提示：调大 data.max_length；最长的有 %4 个词元）</translation>
    </message>
    <message>
        <source>%1 of %2 validation examples are longer than max_length %3 tokens and were truncated, keeping their start (hint: raise data.max_length; the longest has %4 tokens)</source>
        <translation>%2 个验证样本中有 %1 个超过 max_length %3 个词元，已截断并保留开头部分（提示：调大 data.max_length；最长的有 %4 个词元）</translation>
    </message>
    <message>
        <source>data.validation names a file, so no fraction of the training data is held out</source>
        <translation>data.validation 指定了文件，因此不从训练数据中划出验证部分</translation>
    </message>
    <message>
        <source>only one valid example: nothing is held out for validation</source>
        <translation>只有一个有效样本：没有留出验证数据</translation>
    </message>
    <message>
        <source>%1 malformed records skipped; the first is %2</source>
        <translation>已跳过 %1 条格式错误的记录；第一条是 %2</translation>
    </message>
    <message>
        <source>data.template is %1, but the model&apos;s chat_template looks like %2 (hint: use template: auto or model to follow the model)</source>
        <translation>data.template 为 %1，但模型的 chat_template 看起来是 %2（提示：使用 template: auto 或 model 以遵循模型）</translation>
    </message>
    <message>
        <source>the model&apos;s chat_template cannot be used (%1); rendering with %2 instead (hint: set data.template to silence this)</source>
        <translation>无法使用模型的 chat_template（%1）；改用 %2 渲染（提示：设置 data.template 可消除此提示）</translation>
    </message>
    <message>
        <source>the model&apos;s chat_template looks like Llama 2 ([INST] with &lt;&lt;SYS&gt;&gt;); rendering with the Mistral [INST] template (hint: set data.template to silence this)</source>
        <translation>模型的 chat_template 看起来是 Llama 2（带 &lt;&lt;SYS&gt;&gt; 的 [INST]）；改用 Mistral 的 [INST] 模板渲染（提示：设置 data.template 可消除此提示）</translation>
    </message>
    <message>
        <source>the tokenizer has no chat_template; chat records are rendered with chatml (hint: set data.template explicitly)</source>
        <translation>分词器没有 chat_template；对话记录使用 chatml 渲染（提示：请明确设置 data.template）</translation>
    </message>
    <message>
        <source>%1 examples call tools or define them, which the built-in %2 template does not write: tool calls are trained as their JSON and tool definitions are left out; the first is %3 (hint: set data.template to model to render tools as the model&apos;s own template does)</source>
        <translation>%1 个样本调用或定义了工具，而内置的 %2 模板不会写出这些内容：工具调用按其 JSON 文本训练，工具定义被略去；第一个是 %3（提示：将 data.template 设为 model，按模型自带模板的方式渲染工具）</translation>
    </message>
    <message>
        <source>%1 of %2 training examples are longer than max_length %3 tokens and were truncated, their prompts first to their last %4 tokens (hint: raise data.max_length; the longest has %5 tokens)</source>
        <translation>%2 个训练样本中有 %1 个超过 max_length %3 个词元，已截断：先将提示截为其最后 %4 个词元（提示：调大 data.max_length；最长的有 %5 个词元）</translation>
    </message>
    <message>
        <source>%1 of %2 validation examples are longer than max_length %3 tokens and were truncated, their prompts first to their last %4 tokens (hint: raise data.max_length; the longest has %5 tokens)</source>
        <translation>%2 个验证样本中有 %1 个超过 max_length %3 个词元，已截断：先将提示截为其最后 %4 个词元（提示：调大 data.max_length；最长的有 %5 个词元）</translation>
    </message>
    <message>
        <source>%1 of %2 training examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length or lower data.max_prompt_length)</source>
        <translation>%2 个训练样本中有 %1 个截断后没有剩下参与训练的词元，对损失没有贡献（提示：调大 data.max_length 或调小 data.max_prompt_length）</translation>
    </message>
    <message>
        <source>%1 of %2 training examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length, or set data.max_prompt_length to cut long prompts instead of their answers)</source>
        <translation>%2 个训练样本中有 %1 个截断后没有剩下参与训练的词元，对损失没有贡献（提示：调大 data.max_length，或设置 data.max_prompt_length，改为截短过长的提示而不是回答）</translation>
    </message>
    <message>
        <source>%1 of %2 validation examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length or lower data.max_prompt_length)</source>
        <translation>%2 个验证样本中有 %1 个截断后没有剩下参与训练的词元，对损失没有贡献（提示：调大 data.max_length 或调小 data.max_prompt_length）</translation>
    </message>
    <message>
        <source>%1 of %2 validation examples have no trained token left after truncation and add nothing to the loss (hint: raise data.max_length, or set data.max_prompt_length to cut long prompts instead of their answers)</source>
        <translation>%2 个验证样本中有 %1 个截断后没有剩下参与训练的词元，对损失没有贡献（提示：调大 data.max_length，或设置 data.max_prompt_length，改为截短过长的提示而不是回答）</translation>
    </message>
</context>
<context>
    <name>FolderWarning</name>
    <message>
        <source>%1: &apos;auto_map&apos; names custom Python code (%2); LoRA Studio never imports or runs it (hint: the model is built from this build&apos;s own architecture table, so a model that needs its own code may not load as intended)</source>
        <translation>%1：&apos;auto_map&apos; 指向自定义 Python 代码（%2）；LoRA Studio 从不导入或运行它（提示：模型按本版本自带的架构表构建，需要自有代码的模型可能无法按预期加载）</translation>
    </message>
    <message>
        <source>%1: is a link to %2, outside the model folder; it is read from there (hint: copy the file into the folder if it belongs to this model, or remove the link)</source>
        <translation>%1：是指向模型文件夹之外 %2 的链接；将从那里读取（提示：如果该文件属于此模型，请将其复制到文件夹中，否则删除该链接）</translation>
    </message>
    <message>
        <source>%1: holds pickle file(s) %2; they are never opened, since unpickling can run code (hint: only *.safetensors weights are read; convert the checkpoint with transformers&apos; save_pretrained(safe_serialization=True))</source>
        <translation>%1：包含 pickle 文件 %2；它们从不会被打开，因为反序列化 pickle 可能执行代码（提示：只读取 *.safetensors 权重；请用 transformers 的 save_pretrained(safe_serialization=True) 转换检查点）</translation>
    </message>
    <message>
        <source>%1: holds Python file(s) %2; they are never run (hint: LoRA Studio reads config.json, *.safetensors and tokenizer files only)</source>
        <translation>%1：包含 Python 文件 %2；它们从不会被运行（提示：LoRA Studio 只读取 config.json、*.safetensors 和分词器文件）</translation>
    </message>
</context>
<context>
    <name>GgufWarning</name>
    <message>
        <source>%1 matrices written as %2, not %3: their rows are not a multiple of %4 values (%3&apos;s block)</source>
        <translation>%1 个矩阵写为 %2 而非 %3：其行长度不是 %4 的倍数（%3 的块大小）</translation>
    </message>
    <message>
        <source>llama.cpp attends over the whole context where this model has a sliding window of %1 tokens: outputs agree up to that length only</source>
        <translation>此模型使用 %1 个词元的滑动窗口，而 llama.cpp 对整个上下文做注意力：仅在该长度以内输出一致</translation>
    </message>
    <message>
        <source>llama.cpp picks LongRoPE&apos;s long factors by context size (above %1 tokens: for every token), transformers by sequence length: outputs agree in contexts up to %1 tokens</source>
        <translation>llama.cpp 按上下文大小选用 LongRoPE 的长因子（超过 %1 个词元时对每个词元都用），transformers 按序列长度选用：上下文不超过 %1 个词元时输出一致</translation>
    </message>
    <message>
        <source>%1: llama.cpp has no name for this pre-tokenizer; its default splitting is written, so token ids of some texts may differ from training</source>
        <translation>%1：llama.cpp 没有此预分词器的名称；已写入其默认切分方式，部分文本的词元 ID 可能与训练时不同</translation>
    </message>
    <message>
        <source>the Modelfile&apos;s TEMPLATE is the built-in %1 template, not the model&apos;s own Jinja chat_template (hint: check it against the model&apos;s chat format before use)</source>
        <translation>Modelfile 的 TEMPLATE 是内置的 %1 模板，而非模型自带的 Jinja chat_template（提示：使用前请对照模型的对话格式检查）</translation>
    </message>
    <message>
        <source>%1: unknown key &apos;%2&apos;, ignored</source>
        <translation>%1：未知的键 &apos;%2&apos;，已忽略</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is %3: LoRA Studio does not apply this PEFT option, the adapter may compute differently</source>
        <translation>%1：&apos;%2&apos; 为 %3：LoRA Studio 不应用此 PEFT 选项，适配器的计算结果可能不同</translation>
    </message>
</context>
<context>
    <name>ModuleSelection</name>
    <message>
        <source>Enter a regular expression that matches whole module names.</source>
        <translation>请输入匹配完整模块名的正则表达式。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a layer number or a range like 0-3.</source>
        <translation>“%1”不是层号，也不是 0-3 这样的范围。</translation>
    </message>
</context>
<context>
    <name>ProjectWarning</name>
    <message>
        <source>unknown key &apos;%1&apos;, ignored</source>
        <translation>未知的键 &apos;%1&apos;，已忽略</translation>
    </message>
    <message>
        <source>no &apos;version&apos; key, assuming version 1 (add &apos;version: 1&apos; at the top)</source>
        <translation>没有 &apos;version&apos; 键，按版本 1 处理（请在开头添加 &apos;version: 1&apos;）</translation>
    </message>
    <message>
        <source> (did you mean &apos;%1&apos;?)</source>
        <translation>（您是否想输入 &apos;%1&apos;？）</translation>
    </message>
</context>
<context>
    <name>RankAdvice</name>
    <message>
        <source>the update is zero (B still at its initial zeros): nothing learned yet</source>
        <translation>更新为零（B 仍是初始的零）：尚未学到任何东西</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy needs all %1 direction: r=%1 is saturated, try r=%2</source>
        <translation>更新 95% 的能量需要全部 %1 个方向：r=%1 已饱和，试试 r=%2</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy needs all %1 directions: r=%1 is saturated, try r=%2</source>
        <translation>更新 95% 的能量需要全部 %1 个方向：r=%1 已饱和，试试 r=%2</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top direction: r=%1 would do (now r=%2)</source>
        <translation>更新 95% 的能量集中在最强的那个方向上：r=%1 就够了（当前 r=%2）</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 directions: r=%2 would do (now r=%3)</source>
        <translation>更新 95% 的能量集中在前 %1 个方向上：r=%2 就够了（当前 r=%3）</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 of %2 directions: r=%2 fits</source>
        <translation>更新 95% 的能量集中在 %2 个方向中的前 %1 个：r=%2 正合适</translation>
    </message>
    <message>
        <source>no LoRA modules to analyse</source>
        <translation>没有可分析的 LoRA 模块</translation>
    </message>
    <message>
        <source>the update is zero in all %1 modules (B still at its initial zeros): nothing learned yet</source>
        <translation>全部 %1 个模块的更新都为零（B 仍是初始的零）：尚未学到任何东西</translation>
    </message>
    <message>
        <source>r is saturated in %1 of %2 modules (95% of their update&apos;s energy needs every direction): try r=%3</source>
        <translation>%2 个模块中有 %1 个的 r 已饱和（其更新 95% 的能量需要用到每个方向）：试试 r=%3</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 direction or fewer in every module (median %2): r=%3 would do (now r=%4)</source>
        <translation>每个模块中，更新 95% 的能量都集中在前 %1 个或更少的方向上（中位数 %2）：r=%3 就够了（当前 r=%4）</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 directions or fewer in every module (median %2): r=%3 would do (now r=%4)</source>
        <translation>每个模块中，更新 95% 的能量都集中在前 %1 个或更少的方向上（中位数 %2）：r=%3 就够了（当前 r=%4）</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 direction or fewer in every module (median %2): r=%3 fits</source>
        <translation>每个模块中，更新 95% 的能量都集中在前 %1 个或更少的方向上（中位数 %2）：r=%3 正合适</translation>
    </message>
    <message>
        <source>95% of the update&apos;s energy is in the top %1 directions or fewer in every module (median %2): r=%3 fits</source>
        <translation>每个模块中，更新 95% 的能量都集中在前 %1 个或更少的方向上（中位数 %2）：r=%3 正合适</translation>
    </message>
    <message>
        <source>%1; %2 of %3 modules have not moved from zero</source>
        <translation>%1；%3 个模块中有 %2 个仍停在零</translation>
    </message>
</context>
<context>
    <name>RunLog</name>
    <message>
        <source>Loading tokenizer and data</source>
        <translation>正在加载分词器和数据</translation>
    </message>
    <message>
        <source>Loading base model %1</source>
        <translation>正在加载基础模型 %1</translation>
    </message>
    <message>
        <source>%1 malformed line(s) skipped</source>
        <translation>已跳过 %1 行格式错误的数据</translation>
    </message>
    <message>
        <source>QLoRA: %1 frozen linear weights kept quantized (%2; merge and export read the original checkpoint)</source>
        <translation>QLoRA：%1 个冻结的线性层权重以量化形式保存（%2；合并和导出读取原始检查点）</translation>
    </message>
    <message>
        <source>gradient checkpointing: decoder layers recompute their activations in backward</source>
        <translation>梯度检查点：解码器层在反向传播时重新计算激活值</translation>
    </message>
    <message>
        <source>Total steps changed from %1 to %2</source>
        <translation>总步数已从 %1 改为 %2</translation>
    </message>
    <message>
        <source>The checkpoint&apos;s random state for %1 does not apply here: dropout draws differ from the original run</source>
        <translation>检查点中 %1 的随机状态在此处不适用：dropout 的采样与原始运行不同</translation>
    </message>
    <message>
        <source>Removed %1: it continued the run differently after step %2</source>
        <translation>已删除 %1：它在第 %2 步之后以不同方式继续了这次运行</translation>
    </message>
    <message>
        <source>Resuming at step %1 of %2</source>
        <translation>从第 %1 步继续（共 %2 步）</translation>
    </message>
    <message>
        <source>The earlier run in %1 is kept in %2</source>
        <translation>%1 中先前的运行已保留在 %2</translation>
    </message>
    <message>
        <source>Paused at step %1</source>
        <translation>已在第 %1 步暂停</translation>
    </message>
    <message>
        <source>Resumed at step %1</source>
        <translation>已从第 %1 步继续</translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2</source>
        <translation>已在第 %1 步停止（共 %2 步）</translation>
    </message>
    <message>
        <source>Training finished: %1 steps, last loss %2</source>
        <translation>训练完成：%1 步，最后损失 %2</translation>
    </message>
    <message>
        <source>step %1/%2  loss %3  lr %4  grad norm %5  %6 tokens/s</source>
        <translation>第 %1/%2 步  损失 %3  学习率 %4  梯度范数 %5  %6 token/秒</translation>
    </message>
    <message>
        <source>eval at step %1  loss %2  perplexity %3</source>
        <translation>第 %1 步验证  损失 %2  困惑度 %3</translation>
    </message>
    <message>
        <source>Checkpoint written: %1</source>
        <translation>已写入检查点：%1</translation>
    </message>
    <message>
        <source>step %1: a micro-batch has no token to learn from (all masked); skipped</source>
        <translation>第 %1 步：有一个微批次没有可学习的词元（全部被掩码）；已跳过</translation>
    </message>
    <message>
        <source>Gradient all-reduce: %1 buckets, %2 MiB, %3 started during backward (%4)</source>
        <translation>梯度全归约：%1 个桶，%2 MiB，其中 %3 个在反向传播期间开始（%4）</translation>
    </message>
    <message>
        <source>step %1: fp16 gradients overflowed; update skipped, loss scale %2 -&gt; %3</source>
        <translation>第 %1 步：fp16 梯度溢出；跳过此次更新，损失缩放 %2 -&gt; %3</translation>
    </message>
    <message>
        <source>Peak memory: %1 resident; the estimate said %2 (measured %3%)</source>
        <translation>峰值内存：常驻 %1；估算为 %2（实测 %3%）</translation>
    </message>
    <message>
        <source>Peak memory: %1 reserved by the CUDA allocator; the estimate said %2 without the CUDA context (measured %3%)</source>
        <translation>峰值内存：CUDA 分配器保留了 %1；不含 CUDA 上下文的估算为 %2（实测 %3%）</translation>
    </message>
    <message>
        <source>r = %1 exceeds min(in, out) = %2 of %3: the update&apos;s rank cannot pass %2, so the extra %4 directions cost parameters and learn nothing (hint: r &lt;= %2, or rank_pattern for those modules)</source>
        <translation>r = %1 超过了 %3 的 min(in, out) = %2：更新的秩不可能超过 %2，多出的 %4 个方向只占参数、学不到东西（提示：r &lt;= %2，或为这些模块设置 rank_pattern）</translation>
    </message>
    <message>
        <source>r = %1 exceeds min(in, out) = %2 of %3 (and %4 more modules): the update&apos;s rank cannot pass %2, so the extra %5 directions cost parameters and learn nothing (hint: r &lt;= %2, or rank_pattern for those modules)</source>
        <translation>r = %1 超过了 %3（及另外 %4 个模块）的 min(in, out) = %2：更新的秩不可能超过 %2，多出的 %5 个方向只占参数、学不到东西（提示：r &lt;= %2，或为这些模块设置 rank_pattern）</translation>
    </message>
    <message>
        <source>last checkpoint: %1</source>
        <translation>最后一个检查点：%1</translation>
    </message>
    <message>
        <source>adapter (PEFT): %1</source>
        <translation>适配器（PEFT）：%1</translation>
    </message>
    <message>
        <source>nf4, double quantization</source>
        <translation>nf4，双重量化</translation>
    </message>
    <message>
        <source>8-bit</source>
        <translation>8-bit</translation>
    </message>
    <message>
        <source>Training %1 steps (%2 per epoch, batch %3 × accumulation %4, warmup %5), %6 trainable parameters on %7, precision %8</source>
        <translation>训练 %1 步（每轮 %2 步，批大小 %3 × 累积 %4，预热 %5 步），%6 个可训练参数，设备 %7，精度 %8</translation>
    </message>
    <message>
        <source>%1 (%2 threads)</source>
        <translation>%1（%2 个线程）</translation>
    </message>
    <message>
        <source>, packed rows of %1 tokens</source>
        <translation>，打包为每行 %1 个词元</translation>
    </message>
    <message>
        <source>, %1 data-parallel ranks (global batch %2)</source>
        <translation>，%1 个数据并行进程（全局批大小 %2）</translation>
    </message>
    <message>
        <source>Memory estimate: peak %1 of GPU memory (batch %2 × %3 tokens%4; peak during %5)</source>
        <translation>内存估算：峰值 %1 显存（批 %2 × %3 个词元%4；峰值出现在%5）</translation>
    </message>
    <message>
        <source>Memory estimate: peak %1 resident (batch %2 × %3 tokens%4; peak during %5)</source>
        <translation>内存估算：峰值常驻 %1（批 %2 × %3 个词元%4；峰值出现在%5）</translation>
    </message>
    <message>
        <source>, the data&apos;s longest example</source>
        <translation>，即数据中最长的样本</translation>
    </message>
    <message>
        <source>, per rank</source>
        <translation>，每个进程</translation>
    </message>
    <message>
        <source>no memory estimate: %1</source>
        <translation>没有内存估算：%1</translation>
    </message>
    <message>
        <source>analysis skipped at step %1: %2</source>
        <translation>第 %1 步跳过了分析：%2</translation>
    </message>
    <message>
        <source>Note: the base model stores its linear weights quantized by bitsandbytes (%1): with lora.quantization they stay as stored, without it they are dequantized; merge and export add ΔW to the dequantized weights (the folder has no 16-bit originals)</source>
        <translation>注意：基础模型的线性层权重由 bitsandbytes 量化存储（%1）：设置 lora.quantization 时保持原样，不设置时反量化；合并和导出把 ΔW 加到反量化后的权重上（该文件夹没有 16-bit 原始权重）</translation>
    </message>
    <message>
        <source>QLoRA: %1 frozen linear weights kept quantized (bitsandbytes %2 as the base folder stores them; merge and export use their dequantized values)</source>
        <translation>QLoRA：%1 个冻结的线性层权重以量化形式保存（按基础模型文件夹的存储方式，bitsandbytes %2；合并和导出使用其反量化后的值）</translation>
    </message>
    <message>
        <source>completed after %1/%2 steps: %3</source>
        <translation>已完成，%1/%2 步：%3</translation>
    </message>
    <message>
        <source>stopped after %1/%2 steps: %3</source>
        <translation>已停止，%1/%2 步：%3</translation>
    </message>
    <message>
        <source>diverged after %1/%2 steps: %3</source>
        <translation>已发散，%1/%2 步：%3</translation>
    </message>
    <message>
        <source>AMX-BF16 + AVX512-BF16: bf16 training is fast on this CPU</source>
        <translation>AMX-BF16 + AVX512-BF16：此 CPU 上 bf16 训练很快</translation>
    </message>
    <message>
        <source>AMX-BF16: bf16 training is fast on this CPU</source>
        <translation>AMX-BF16：此 CPU 上 bf16 训练很快</translation>
    </message>
    <message>
        <source>AVX512-BF16: bf16 training is fast on this CPU</source>
        <translation>AVX512-BF16：此 CPU 上 bf16 训练很快</translation>
    </message>
    <message>
        <source>no AVX512-BF16 or AMX: bf16 is emulated here, fp32 is faster on this CPU</source>
        <translation>没有 AVX512-BF16 或 AMX：bf16 在此为模拟运算，此 CPU 上 fp32 更快</translation>
    </message>
    <message>
        <source>step %1/%2  loss %3  reward accuracy %4  margin %5  lr %6  grad norm %7  %8 tokens/s</source>
        <translation>第 %1/%2 步  损失 %3  奖励准确率 %4  奖励差 %5  学习率 %6  梯度范数 %7  %8 token/秒</translation>
    </message>
    <message>
        <source>eval at step %1  loss %2  reward accuracy %3  margin %4</source>
        <translation>第 %1 步验证  损失 %2  奖励准确率 %3  奖励差 %4</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::AboutDialog</name>
    <message>
        <source>CUDA: not available</source>
        <translation>CUDA：不可用</translation>
    </message>
    <message numerus="yes">
        <source>CUDA: %n device(s)</source>
        <translation>
            <numerusform>CUDA：%n 个设备</numerusform>
        </translation>
    </message>
    <message>
        <source>About LoRA Studio</source>
        <translation>关于 LoRA Studio</translation>
    </message>
    <message>
        <source>&lt;h2&gt;LoRA Studio %1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;LoRA Studio %1&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>A native studio for LoRA fine-tuning of language models: pick a base model and its target modules, see the exact trainable parameters, prepare the data, train, and export a PEFT adapter or a merged model.</source>
        <translation>用于语言模型 LoRA 微调的原生工作室：选择基础模型及其目标模块，查看精确的可训练参数量，准备数据，训练，并导出 PEFT 适配器或合并后的模型。</translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation>%1（构建时使用 %2）</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <source>Qt:</source>
        <translation>Qt：</translation>
    </message>
    <message>
        <source>LibTorch:</source>
        <translation>LibTorch：</translation>
    </message>
    <message>
        <source>Devices:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the versions and devices, e.g. for a bug report</source>
        <translation>复制版本和设备信息，例如用于错误报告</translation>
    </message>
    <message>
        <source>CPU: %1 hardware threads, %2 physical cores (LibTorch uses %3)</source>
        <translation>CPU：%1 个硬件线程，%2 个物理核心（LibTorch 使用 %3 个）</translation>
    </message>
    <message>
        <source>CPU bf16: %1</source>
        <translation>CPU bf16：%1</translation>
    </message>
    <message>
        <source>Attention:</source>
        <translation>注意力：</translation>
    </message>
    <message>
        <source>Allocator:</source>
        <translation>内存分配器：</translation>
    </message>
    <message>
        <source>BLAS:</source>
        <translation>BLAS：</translation>
    </message>
    <message>
        <source>Data parallel:</source>
        <translation>数据并行：</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::CheckedSpinBox</name>
    <message>
        <source>%1 is above the largest value here, %2: kept %3</source>
        <translation>%1 超过此处允许的最大值 %2：保留 %3</translation>
    </message>
    <message>
        <source>%1 is below the smallest value here, %2: kept %3</source>
        <translation>%1 低于此处允许的最小值 %2：保留 %3</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::DataPanel</name>
    <message>
        <source>A .jsonl, .json or .txt file</source>
        <translation>.jsonl、.json 或 .txt 文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Data file:</source>
        <translation>数据文件：</translation>
    </message>
    <message>
        <source>auto-detect</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>text</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <source>alpaca (instruction/input/output)</source>
        <translation>alpaca（instruction/input/output）</translation>
    </message>
    <message>
        <source>chat (messages)</source>
        <translation>对话（messages）</translation>
    </message>
    <message>
        <source>ShareGPT (conversations)</source>
        <translation>ShareGPT（conversations）</translation>
    </message>
    <message>
        <source>auto (the model&apos;s own when it has one)</source>
        <translation>自动（模型自带模板优先）</translation>
    </message>
    <message>
        <source>the model&apos;s own (Jinja chat_template)</source>
        <translation>模型自带（Jinja chat_template）</translation>
    </message>
    <message>
        <source>data.template: how chat and instruction records become text. The model&apos;s own template is the chat_template of its tokenizer_config.json, as transformers applies it; the others are built in.</source>
        <translation>data.template：对话与指令记录如何转成文本。模型自带模板即其 tokenizer_config.json 中的 chat_template，与 transformers 的用法一致；其余为内置模板。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>data.system_prompt: a system message for the chat and Alpaca records that bring none</source>
        <translation>data.system_prompt：为未自带系统消息的对话与 Alpaca 记录添加的系统消息</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>模板：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>answers only</source>
        <translation>仅回答</translation>
    </message>
    <message>
        <source>whole text</source>
        <translation>全文</translation>
    </message>
    <message>
        <source>completion_only_loss: learn only the answers (prompt masked) or the whole text. Auto: answers only for Alpaca and chat data.</source>
        <translation>completion_only_loss：只学习回答（提示被遮蔽）或学习全文。自动：Alpaca 与对话数据只学习回答。</translation>
    </message>
    <message>
        <source>Validation:</source>
        <translation>验证集：</translation>
    </message>
    <message>
        <source>Loss on:</source>
        <translation>损失计算：</translation>
    </message>
    <message>
        <source>Max length:</source>
        <translation>最大长度：</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>tokens per example</source>
        <translation>每个样本的 token 数</translation>
    </message>
    <message>
        <source>examples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Token lengths</source>
        <translation>Token 长度</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Legend: &lt;span style=&quot;color:%1&quot;&gt;grey text is the prompt (masked, not trained)&lt;/span&gt;, &lt;span style=&quot;background-color:%2&quot;&gt;highlighted text is trained (counts in the loss)&lt;/span&gt;.</source>
        <translation>图例：&lt;span style=&quot;color:%1&quot;&gt;灰色文字是提示（被遮蔽，不参与训练）&lt;/span&gt;，&lt;span style=&quot;background-color:%2&quot;&gt;高亮文字参与训练（计入损失）&lt;/span&gt;。</translation>
    </message>
    <message>
        <source>Choose training data</source>
        <translation>选择训练数据</translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.json *.txt);;All files (*)</source>
        <translation>数据文件 (*.jsonl *.json *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a data file: JSON Lines with &quot;text&quot;, &quot;instruction&quot;/&quot;output&quot;, &quot;messages&quot; or &quot;conversations&quot; (ShareGPT), or plain text with one example per line.</source>
        <translation>请选择数据文件：含 &quot;text&quot;、&quot;instruction&quot;/&quot;output&quot;、&quot;messages&quot; 或 &quot;conversations&quot;（ShareGPT）的 JSON Lines，或每行一个样本的纯文本。</translation>
    </message>
    <message>
        <source>Choose a base model first: the preview uses its tokenizer.</source>
        <translation>请先选择基础模型：预览需要使用它的分词器。</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>正在读取 %1 …</translation>
    </message>
    <message>
        <source>Format: %1 · template: %2 · loss on: %3</source>
        <translation>格式：%1 · 模板：%2 · 损失计算：%3</translation>
    </message>
    <message>
        <source>none (plain text)</source>
        <translation>无（纯文本）</translation>
    </message>
    <message>
        <source>the model&apos;s own (%1, Jinja)</source>
        <translation>模型自带（%1，Jinja）</translation>
    </message>
    <message numerus="yes">
        <source> · %n training example(s)</source>
        <translation>
            <numerusform> · %n 个训练样本</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n for validation</source>
        <translation>
            <numerusform>，%n 个用于验证</numerusform>
        </translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation>问题 (%1)</translation>
    </message>
    <message>
        <source>Shortest %1, mean %2, longest %3 tokens · %4 cut to max_length %5 · %6 of %7 tokens trained</source>
        <translation>最短 %1、平均 %2、最长 %3 个 token · %4 个被截断到 max_length %5 · %7 个 token 中 %6 个参与训练</translation>
    </message>
    <message>
        <source>max_length %1</source>
        <translation>max_length %1</translation>
    </message>
    <message>
        <source>none: hold out the fraction above</source>
        <translation>无：按上面的比例留出</translation>
    </message>
    <message>
        <source>data.validation as a path: a separate validation file (the fraction is then not used)</source>
        <translation>data.validation 为路径：单独的验证文件（此时不使用比例）</translation>
    </message>
    <message>
        <source>Validation file:</source>
        <translation>验证文件：</translation>
    </message>
    <message>
        <source>Shuffle every epoch</source>
        <translation>每轮打乱顺序</translation>
    </message>
    <message>
        <source>data.shuffle_seed: the seed of the shuffle and of the validation split</source>
        <translation>data.shuffle_seed：打乱顺序和划分验证集所用的随机种子</translation>
    </message>
    <message>
        <source>Stream from disk</source>
        <translation>从磁盘流式读取</translation>
    </message>
    <message>
        <source>data.streaming: read the file lazily instead of loading it into memory (for large data)</source>
        <translation>data.streaming：按需读取文件，而不是全部载入内存（适合大数据）</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>顺序：</translation>
    </message>
    <message>
        <source>Choose a validation file</source>
        <translation>选择验证文件</translation>
    </message>
    <message>
        <source>Pack examples into rows</source>
        <translation>将样本打包成行</translation>
    </message>
    <message>
        <source>data.packing: several examples per row of max_length tokens; each attends only to itself and restarts its positions, so its loss is the one it has alone</source>
        <translation>data.packing：每行 max_length 个词元中放入多个样本；每个样本只关注自身且位置从零开始，因此其损失与单独训练时相同</translation>
    </message>
    <message>
        <source>Group batches by length</source>
        <translation>按长度分组批次</translation>
    </message>
    <message>
        <source>data.group_by_length: unpacked batches of similar lengths, less padding</source>
        <translation>data.group_by_length：未打包时让批次中的样本长度相近，减少填充</translation>
    </message>
    <message>
        <source>Batching:</source>
        <translation>批处理：</translation>
    </message>
    <message>
        <source>Padding:</source>
        <translation>填充：</translation>
    </message>
    <message>
        <source>shown once the data is read</source>
        <translation>读取数据后显示</translation>
    </message>
    <message>
        <source>%1 padded batches · %2 grouped by length · %3 packed (batch %4; in bold: this project)</source>
        <translation>%1 填充批次 · %2 按长度分组 · %3 打包（批大小 %4；粗体为本项目的设置）</translation>
    </message>
    <message>
        <source>preference pairs (chosen/rejected, for DPO)</source>
        <translation>偏好对（chosen/rejected，用于 DPO）</translation>
    </message>
    <message>
        <source>%1 padded batches · %2 grouped by length (batch %3 pairs; in bold: this project; pairs are not packed)</source>
        <translation>%1 填充批次 · %2 按长度分组（批大小 %3 个偏好对；粗体为本项目的设置；偏好对不打包）</translation>
    </message>
    <message numerus="yes">
        <source> · %n training pair(s)</source>
        <translation>
            <numerusform> · %n 个训练偏好对</numerusform>
        </translation>
    </message>
    <message>
        <source>cut at the end</source>
        <translation>从末尾截断</translation>
    </message>
    <message>
        <source>cut the prompt to </source>
        <translation>先将提示截为 </translation>
    </message>
    <message>
        <source> tokens first</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>data.max_prompt_length: an example longer than max length loses the start of its prompt first, down to this many tokens, so that its answer stays in (0: it loses its end)</source>
        <translation>data.max_prompt_length：超过最大长度的样本先去掉提示的开头部分，直到只剩这么多词元，从而保留回答（0：截掉样本末尾）</translation>
    </message>
    <message>
        <source>Long examples:</source>
        <translation>过长样本：</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::DistributedDialog</name>
    <message>
        <source>Run on several GPUs or machines</source>
        <translation>在多个 GPU 或多台机器上运行</translation>
    </message>
    <message>
        <source>Data parallel: every rank holds the whole model and trains on its own share of each batch; only the LoRA gradients travel between them. A model must fit one device.</source>
        <translation>数据并行：每个 rank 持有完整模型，并训练每个批次中属于自己的那一份；彼此之间只传递 LoRA 梯度。模型必须能放进单个设备。</translation>
    </message>
    <message>
        <source>Processes per machine: one per GPU, or on the CPU a share of its cores each</source>
        <translation>每台机器的进程数：每块 GPU 一个；在 CPU 上则各占一部分核心</translation>
    </message>
    <message>
        <source>Ranks per machine:</source>
        <translation>每台机器的 rank 数：</translation>
    </message>
    <message>
        <source>Machines:</source>
        <translation>机器数：</translation>
    </message>
    <message>
        <source>torchrun: the machine of node rank 0, reachable from the others (Slurm finds it itself)</source>
        <translation>torchrun：节点 0 所在的机器，其他机器须能访问它（Slurm 会自行确定）</translation>
    </message>
    <message>
        <source>Address of machine 0:</source>
        <translation>机器 0 的地址：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>torchrun script</source>
        <translation>torchrun 脚本</translation>
    </message>
    <message>
        <source>Slurm batch file</source>
        <translation>Slurm 批处理文件</translation>
    </message>
    <message>
        <source>Write Scripts</source>
        <translation>写入脚本</translation>
    </message>
    <message>
        <source>Write both beside the project file</source>
        <translation>将两个文件写在项目文件旁边</translation>
    </message>
    <message>
        <source>Start Here</source>
        <translation>在本机启动</translation>
    </message>
    <message>
        <source>Start the ranks on this machine; the Train page follows the job like any background run</source>
        <translation>在本机启动各 rank；训练页面像跟踪其他后台运行一样跟踪该任务</translation>
    </message>
    <message>
        <source>%1 ranks. Global batch: %2 (batch) × %3 (accumulation) × %1 (ranks) = %4 examples per optimizer step.</source>
        <translation>%1 个 rank。全局批次：%2（批大小）× %3（梯度累积）× %1（rank 数）= 每个优化步 %4 个样本。</translation>
    </message>
    <message>
        <source>Each rank needs about %1 (%2).</source>
        <translation>每个 rank 约需 %1（%2）。</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>显存</translation>
    </message>
    <message>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Several machines: run the torchrun script on each, or submit the Slurm batch file</source>
        <translation>多台机器：在每台机器上运行 torchrun 脚本，或提交 Slurm 批处理文件</translation>
    </message>
    <message>
        <source>Save the project first: the scripts and the ranks read its file.</source>
        <translation>请先保存项目：脚本和各 rank 都会读取项目文件。</translation>
    </message>
    <message>
        <source>Written: %1 (on each machine: NODE_RANK=n bash %2) and %3 (sbatch %4).</source>
        <translation>已写入：%1（在每台机器上：NODE_RANK=n bash %2）和 %3（sbatch %4）。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::EstimateView</name>
    <message>
        <source>enable gradient checkpointing</source>
        <translation>启用梯度检查点</translation>
    </message>
    <message>
        <source>batch size %1 → %2 with gradient accumulation %3 → %4 (same effective batch)</source>
        <translation>批大小 %1 → %2，梯度累积 %3 → %4（有效批大小不变）</translation>
    </message>
    <message>
        <source>train in %1</source>
        <translation>以 %1 训练</translation>
    </message>
    <message>
        <source>max length %1 → %2 tokens</source>
        <translation>最大长度 %1 → %2 个 token</translation>
    </message>
    <message>
        <source>LoRA dropout 0</source>
        <translation>LoRA dropout 设为 0</translation>
    </message>
    <message>
        <source>rank %1 → %2</source>
        <translation>秩 %1 → %2</translation>
    </message>
    <message>
        <source>no modules trained in full</source>
        <translation>不完整训练任何模块</translation>
    </message>
    <message>
        <source>The line PEFT&apos;s print_trainable_parameters() prints for this configuration.</source>
        <translation>PEFT 的 print_trainable_parameters() 对此配置输出的那一行。</translation>
    </message>
    <message>
        <source>Choose a base model to see what training costs.</source>
        <translation>选择基础模型后即可查看训练开销。</translation>
    </message>
    <message>
        <source>No estimate</source>
        <translation>无法估算</translation>
    </message>
    <message>
        <source>%1 trainable parameters (%2 % of %3)</source>
        <translation>%1 个可训练参数（占 %3 的 %2 %）</translation>
    </message>
    <message>
        <source>fits</source>
        <translation>可以容纳</translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation>无法容纳</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>This run needs about %1 more than the %2 available. Changes that help, largest saving first:</source>
        <translation>此次训练比可用的 %2 多需要约 %1。以下修改可以帮助（按节省量从大到小）：</translation>
    </message>
    <message>
        <source>saves %1 (peak %2)</source>
        <translation>节省 %1（峰值 %2）</translation>
    </message>
    <message>
        <source>— fits</source>
        <translation>— 可以容纳</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>No single setting saves enough: choose a smaller model or a bigger machine.</source>
        <translation>没有任何单项修改能节省足够内存：请选择更小的模型或更大的机器。</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Logits</source>
        <translation>Logits</translation>
    </message>
    <message>
        <source>Working memory</source>
        <translation>工作内存</translation>
    </message>
    <message>
        <source>Overhead</source>
        <translation>额外开销</translation>
    </message>
    <message>
        <source>the loss backward</source>
        <translation>损失的反向传播</translation>
    </message>
    <message>
        <source>a layer&apos;s backward</source>
        <translation>某一层的反向传播</translation>
    </message>
    <message>
        <source>the forward pass</source>
        <translation>前向传播</translation>
    </message>
    <message>
        <source>a checkpointed layer&apos;s recomputation</source>
        <translation>检查点层的重新计算</translation>
    </message>
    <message>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Peak memory: %1 of %2 %3 · %4</source>
        <translation>峰值内存：%1 / %2 %3 · %4</translation>
    </message>
    <message>
        <source>Peak GPU memory: %1 (the GPU&apos;s size cannot be read: no NVIDIA driver)</source>
        <translation>峰值显存：%1（无法读取 GPU 容量：没有 NVIDIA 驱动）</translation>
    </message>
    <message>
        <source>Data-parallel group</source>
        <translation>数据并行进程组</translation>
    </message>
    <message>
        <source>the gradient all-reduce</source>
        <translation>梯度全归约（all-reduce）</translation>
    </message>
    <message>
        <source>%1 tokens (the data&apos;s longest example; max_length %2)</source>
        <translation>%1 个 token（数据中最长的样本；max_length %2）</translation>
    </message>
    <message>
        <source>%1 tokens (packed rows of max_length)</source>
        <translation>%1 个 token（按 max_length 打包的行）</translation>
    </message>
    <message>
        <source>%1 tokens (the model&apos;s longest)</source>
        <translation>%1 个 token（模型支持的最大长度）</translation>
    </message>
    <message>
        <source>%1 tokens (max_length, which the data&apos;s longest example reaches)</source>
        <translation>%1 个 token（max_length，数据中最长的样本达到该长度）</translation>
    </message>
    <message>
        <source>%1 tokens (max_length, until the Data page has read the data)</source>
        <translation>%1 个 token（按 max_length，直到“数据”页读完数据）</translation>
    </message>
    <message>
        <source>max length %1 → %2 tokens, cutting the examples longer than that</source>
        <translation>最大长度 %1 → %2 个 token，截断比它更长的样本</translation>
    </message>
    <message>
        <source>batch %1 pairs (%2 rows)</source>
        <translation>批大小 %1 对（%2 行）</translation>
    </message>
    <message>
        <source>batch %1</source>
        <translation>批大小 %1</translation>
    </message>
    <message>
        <source>Sized for %1: %2 × %3, %4, gradient checkpointing %5; peak during %6.</source>
        <translation>按 %1 估算：%2 × %3，%4，梯度检查点%5；峰值出现在%6期间。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ExportPanel</name>
    <message>
        <source>Merge &amp;&amp; export</source>
        <translation>合并与导出</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Adapter:</source>
        <translation>适配器：</translation>
    </message>
    <message>
        <source>Base model:</source>
        <translation>基础模型：</translation>
    </message>
    <message>
        <source>PEFT adapter (adapter_config.json + adapter_model.safetensors)</source>
        <translation>PEFT 适配器（adapter_config.json + adapter_model.safetensors）</translation>
    </message>
    <message>
        <source>Merged model (base weights with the update folded in)</source>
        <translation>合并模型（基础权重合入更新）</translation>
    </message>
    <message>
        <source>Export as:</source>
        <translation>导出为：</translation>
    </message>
    <message>
        <source>As the base checkpoint</source>
        <translation>与基础检查点相同</translation>
    </message>
    <message>
        <source>Data type:</source>
        <translation>数据类型：</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Adapter folder</source>
        <translation>适配器文件夹</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>none: choose one on the Model page</source>
        <translation>无：请在“模型”页选择</translation>
    </message>
    <message>
        <source>No adapter in %1 (hint: train first; a run writes outputDir/adapter when it ends)</source>
        <translation>%1 中没有适配器（提示：请先训练；训练结束时会写入 outputDir/adapter）</translation>
    </message>
    <message>
        <source>Loading the base model…</source>
        <translation>正在加载基础模型…</translation>
    </message>
    <message>
        <source>Loading the adapter…</source>
        <translation>正在加载适配器…</translation>
    </message>
    <message>
        <source>Merging, writing and checking the merged model…</source>
        <translation>正在合并、写入并校验合并模型…</translation>
    </message>
    <message>
        <source>Writing the adapter…</source>
        <translation>正在写入适配器…</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>失败。</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Merged model written to %1. Merge check: max |logit difference| = %2 (adapted vs merged).</source>
        <translation>合并模型已写入 %1。合并校验：最大 |logit 差| = %2（适配器模型对合并模型）。</translation>
    </message>
    <message>
        <source>Adapter written to %1.</source>
        <translation>适配器已写入 %1。</translation>
    </message>
    <message>
        <source>GGUF merged model for llama.cpp, Ollama and LM Studio</source>
        <translation>GGUF 合并模型（用于 llama.cpp、Ollama 和 LM Studio）</translation>
    </message>
    <message>
        <source>GGUF LoRA adapter (for a GGUF of the base model)</source>
        <translation>GGUF LoRA 适配器（配合基础模型的 GGUF 使用）</translation>
    </message>
    <message>
        <source>F16 (half precision)</source>
        <translation>F16（半精度）</translation>
    </message>
    <message>
        <source>Q8_0 (8-bit blocks, about half of F16)</source>
        <translation>Q8_0（8 位分块，约为 F16 的一半）</translation>
    </message>
    <message>
        <source>BF16 (brain float)</source>
        <translation>BF16（brain float）</translation>
    </message>
    <message>
        <source>F32 (full precision)</source>
        <translation>F32（全精度）</translation>
    </message>
    <message>
        <source>Ollama Modelfile beside it</source>
        <translation>同时写出 Ollama Modelfile</translation>
    </message>
    <message>
        <source>Writes Modelfile (FROM, ADAPTER, the chat template the data was trained with, stop strings); then: ollama create NAME -f Modelfile. An adapter&apos;s Modelfile also gets a GGUF of the base model beside it.</source>
        <translation>写出 Modelfile（FROM、ADAPTER、训练数据所用的对话模板、停止字符串）；随后运行：ollama create NAME -f Modelfile。适配器的 Modelfile 旁还会写出基础模型的 GGUF。</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>Export to GGUF file</source>
        <translation>导出为 GGUF 文件</translation>
    </message>
    <message>
        <source>GGUF files (*.gguf)</source>
        <translation>GGUF 文件 (*.gguf)</translation>
    </message>
    <message>
        <source>%1, %2 s</source>
        <translation>%1，%2 秒</translation>
    </message>
    <message>
        <source>; base model GGUF for Ollama: %1</source>
        <translation>；供 Ollama 使用的基础模型 GGUF：%1</translation>
    </message>
    <message>
        <source>Writing the GGUF adapter…</source>
        <translation>正在写入 GGUF 适配器…</translation>
    </message>
    <message>
        <source>Merging and writing the GGUF model…</source>
        <translation>正在合并并写入 GGUF 模型…</translation>
    </message>
    <message>
        <source>Choose where to export to.</source>
        <translation>请选择导出位置。</translation>
    </message>
    <message>
        <source>%1 already exists (hint: choose a new name)</source>
        <translation>%1 已存在（提示：请换一个名称）</translation>
    </message>
    <message>
        <source>A GGUF export is one file: give a name ending in .gguf</source>
        <translation>GGUF 导出为单个文件：请使用以 .gguf 结尾的名称</translation>
    </message>
    <message>
        <source>GGUF written to %1 (%2).</source>
        <translation>GGUF 已写入 %1（%2）。</translation>
    </message>
    <message>
        <source>A merged model is written from the original base checkpoint with the update W0 + (alpha/r)·B·A folded in, then checked against the adapted model. A GGUF LoRA carries each module&apos;s own scale (rsLoRA, alpha and rank patterns), so llama.cpp computes the same update.</source>
        <translation>合并模型由原始基础检查点写出，并合入更新 W0 + (alpha/r)·B·A，然后与带适配器的模型对比校验。GGUF LoRA 为每个模块保留其自身的缩放系数（rsLoRA、alpha 与秩的模式），因此 llama.cpp 计算出相同的更新。</translation>
    </message>
    <message>
        <source>Resized PEFT adapter (each module&apos;s rank cut by the SVD of its update)</source>
        <translation>缩减秩的 PEFT 适配器（按各模块更新的 SVD 截断秩）</translation>
    </message>
    <message>
        <source>Keep a share of each update&apos;s energy</source>
        <translation>保留每个更新能量的比例</translation>
    </message>
    <message>
        <source>Cut every module to at most rank</source>
        <translation>把每个模块的秩截到至多</translation>
    </message>
    <message>
        <source>Per module the fewest directions whose σᵢ² keep this share of Σσᵢ², rounded up to a power of two (the Inspect page&apos;s suggestion)</source>
        <translation>每个模块取 σᵢ² 之和达到 Σσᵢ² 此比例的最少方向数，向上取到 2 的幂（与“检查”页的建议相同）</translation>
    </message>
    <message>
        <source>Resize:</source>
        <translation>缩减秩：</translation>
    </message>
    <message>
        <source>Resizing the adapter…</source>
        <translation>正在缩减适配器的秩…</translation>
    </message>
    <message>
        <source>LoRA parameters %1 → %2 (r = %3)</source>
        <translation>LoRA 参数 %1 → %2（r = %3）</translation>
    </message>
    <message>
        <source>Comparing the original and the resized adapter on a probe text…</source>
        <translation>正在用探测文本比较原适配器与缩减后的适配器…</translation>
    </message>
    <message>
        <source>; on a probe text of %1 tokens the logits differ by at most %2 (largest |logit| %3)</source>
        <translation>；在 %1 个词元的探测文本上，logits 最大相差 %2（最大 |logit| 为 %3）</translation>
    </message>
    <message>
        <source>Resized adapter written to %1: %2.</source>
        <translation>缩减后的适配器已写入 %1：%2。</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Q4_K_M (4-bit mix, about 30% of F16; Ollama&apos;s usual)</source>
        <translation>Q4_K_M（4 位混合，约为 F16 的 30%；Ollama 常用）</translation>
    </message>
    <message>
        <source>Q4_0 (4-bit blocks, about 28% of F16)</source>
        <translation>Q4_0（4 位分块，约为 F16 的 28%）</translation>
    </message>
    <message>
        <source>; Ollama (chat template %1): ollama create NAME -f %2</source>
        <translation>；Ollama（对话模板 %1）：ollama create NAME -f %2</translation>
    </message>
    <message>
        <source>Q5_K_M (5-bit mix, about 36% of F16)</source>
        <translation>Q5_K_M（5 位混合，约为 F16 的 36%）</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::LearningSummaryView</name>
    <message>
        <source>Modules</source>
        <translation>模块数</translation>
    </message>
    <message>
        <source>‖ΔW‖²_F</source>
        <translation>‖ΔW‖²_F</translation>
    </message>
    <message>
        <source>Eff. rank</source>
        <translation>有效秩</translation>
    </message>
    <message>
        <source>Amplification</source>
        <translation>放大系数</translation>
    </message>
    <message>
        <source>Share of the summed squared Frobenius norm of the updates</source>
        <translation>占所有更新 Frobenius 范数平方之和的比例</translation>
    </message>
    <message>
        <source>Share of the summed effective rank</source>
        <translation>占有效秩之和的比例</translation>
    </message>
    <message>
        <source>Median of ‖ΔW‖_F / ‖Uᵀ W0 V‖_F over the group (LoRA paper §7.3): how much the update amplifies directions the base weight barely uses. Needs the base model.</source>
        <translation>该组 ‖ΔW‖_F / ‖Uᵀ W0 V‖_F 的中位数（LoRA 论文 §7.3）：更新对基础权重几乎不用的方向放大了多少。需要基础模型。</translation>
    </message>
    <message>
        <source>no layer</source>
        <translation>无层</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Module kind</source>
        <translation>模块类型</translation>
    </message>
    <message>
        <source>Train, or open an adapter, to see where the update is.</source>
        <translation>训练或打开一个适配器，即可看到更新集中在哪里。</translation>
    </message>
    <message>
        <source>Shares of Σ‖ΔW‖²_F and of Σ effective rank; amplification: median ‖ΔW‖_F / ‖Uᵀ W0 V‖_F.</source>
        <translation>Σ‖ΔW‖²_F 与 Σ 有效秩中所占比例；放大系数：‖ΔW‖_F / ‖Uᵀ W0 V‖_F 的中位数。</translation>
    </message>
    <message>
        <source>Shares of Σ‖ΔW‖²_F and of Σ effective rank. Amplification needs the base weights: open the adapter with the project&apos;s base model.</source>
        <translation>Σ‖ΔW‖²_F 与 Σ 有效秩中所占比例。放大系数需要基础权重：请在项目的基础模型下打开适配器。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::LoraAdvancedEditor</name>
    <message>
        <source>%1, row %2: enter a module pattern, e.g. q_proj</source>
        <translation>%1，第 %2 行：请输入模块模式，例如 q_proj</translation>
    </message>
    <message>
        <source>%1, row %2: &apos;%3&apos; is not a valid regular expression: %4 at position %5</source>
        <translation>%1，第 %2 行：“%3”不是有效的正则表达式：%4（位置 %5）</translation>
    </message>
    <message>
        <source>%1, row %2: the pattern &apos;%3&apos; is already listed above</source>
        <translation>%1，第 %2 行：模式“%3”已在上方列出</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>lora.exclude_modules: modules left out even when the targets match them. Names separated by commas (a name matches itself and any module ending in .name), or one regex that must match the whole module name.</source>
        <translation>lora.exclude_modules：即使被目标模块匹配也要排除的模块。用逗号分隔的名称（名称匹配其本身以及以 .名称 结尾的模块），或一个必须匹配完整模块名的正则表达式。</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <source>Read the field as one regular expression instead of a list of names.</source>
        <translation>将此字段视为一个正则表达式，而不是名称列表。</translation>
    </message>
    <message>
        <source>Exclude modules:</source>
        <translation>排除模块：</translation>
    </message>
    <message>
        <source>none, e.g. lm_head</source>
        <translation>无，例如 lm_head</translation>
    </message>
    <message>
        <source>lora.modules_to_save: modules trained in full and saved with the adapter, e.g. lm_head when new tokens were added. Costs far more memory than LoRA.</source>
        <translation>lora.modules_to_save：完整训练并随适配器一起保存的模块，例如添加了新 token 时的 lm_head。所需内存远多于 LoRA。</translation>
    </message>
    <message>
        <source>Train in full:</source>
        <translation>完整训练：</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>秩</translation>
    </message>
    <message>
        <source>lora.rank_pattern: a different rank for modules whose name ends in a match of the pattern (PEFT: (.*\.)?(pattern)$). The first matching row wins.</source>
        <translation>lora.rank_pattern：为名称结尾匹配该模式的模块指定不同的秩（PEFT：(.*\.)?(pattern)$）。以第一个匹配的行为准。</translation>
    </message>
    <message>
        <source>Rank per module:</source>
        <translation>按模块的秩：</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <source>lora.alpha_pattern: a different lora_alpha for modules matching the pattern, the same way as the rank pattern.</source>
        <translation>lora.alpha_pattern：为匹配该模式的模块指定不同的 lora_alpha，匹配方式与秩模式相同。</translation>
    </message>
    <message>
        <source>Alpha per module:</source>
        <translation>按模块的 Alpha：</translation>
    </message>
    <message>
        <source>lora.exclude_modules: %1</source>
        <translation>lora.exclude_modules：%1</translation>
    </message>
    <message>
        <source>lora.exclude_modules: all-linear only applies to the target modules</source>
        <translation>lora.exclude_modules：all-linear 只能用于目标模块</translation>
    </message>
    <message>
        <source>%1, row %2: the rank must be a whole number &gt;= 1, got &apos;%3&apos;</source>
        <translation>%1，第 %2 行：秩必须是 &gt;= 1 的整数，实际为“%3”</translation>
    </message>
    <message>
        <source>%1, row %2: alpha must be a number &gt; 0, got &apos;%3&apos;</source>
        <translation>%1，第 %2 行：alpha 必须是 &gt; 0 的数，实际为“%3”</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::LoraPanel</name>
    <message>
        <source>LoRA settings</source>
        <translation>LoRA 设置</translation>
    </message>
    <message>
        <source>r: the rank of the update B·A. Parameters grow linearly with r.</source>
        <translation>r：更新量 B·A 的秩。参数量随 r 线性增长。</translation>
    </message>
    <message>
        <source>Rank (r):</source>
        <translation>秩 (r)：</translation>
    </message>
    <message>
        <source>lora_alpha: the update is scaled by alpha / r (alpha / √r with rsLoRA).</source>
        <translation>lora_alpha：更新量按 alpha / r 缩放（rsLoRA 时为 alpha / √r）。</translation>
    </message>
    <message>
        <source>Alpha:</source>
        <translation>Alpha：</translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation>Dropout：</translation>
    </message>
    <message>
        <source>Scaling:</source>
        <translation>缩放：</translation>
    </message>
    <message>
        <source>none: biases stay frozen</source>
        <translation>none：偏置保持冻结</translation>
    </message>
    <message>
        <source>all: train every bias</source>
        <translation>all：训练所有偏置</translation>
    </message>
    <message>
        <source>lora_only: train biases of LoRA modules</source>
        <translation>lora_only：只训练 LoRA 模块的偏置</translation>
    </message>
    <message>
        <source>Bias:</source>
        <translation>偏置：</translation>
    </message>
    <message>
        <source>full SVD</source>
        <translation>完整 SVD</translation>
    </message>
    <message>
        <source>iterations: </source>
        <translation>迭代次数：</translation>
    </message>
    <message>
        <source>PiSSA: 0 computes a full SVD; N uses a fast randomized SVD with N iterations.</source>
        <translation>PiSSA：0 表示计算完整 SVD；N 表示用 N 次迭代的快速随机 SVD。</translation>
    </message>
    <message>
        <source>Init:</source>
        <translation>初始化：</translation>
    </message>
    <message>
        <source>training.device: where the run trains; the estimate is sized for it.</source>
        <translation>training.device：训练所用的设备；估算按它进行。</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Device memory:</source>
        <translation>设备内存：</translation>
    </message>
    <message>
        <source>alpha / √r = %1</source>
        <translation>alpha / √r = %1</translation>
    </message>
    <message>
        <source>alpha / r = %1</source>
        <translation>alpha / r = %1</translation>
    </message>
    <message>
        <source>%1 RAM (CPU)</source>
        <translation>%1 内存（CPU）</translation>
    </message>
    <message>
        <source>rsLoRA (scaling alpha / √r)</source>
        <translation>rsLoRA（缩放 alpha / √r）</translation>
    </message>
    <message>
        <source>Rank-stabilised LoRA: scale the update by alpha / √r instead of alpha / r.</source>
        <translation>秩稳定 LoRA：按 alpha / √r 而不是 alpha / r 缩放更新量。</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>A Kaiming-uniform, B zero: training starts from the base model.</source>
        <translation>A 使用 Kaiming 均匀分布，B 为零：训练从基础模型出发。</translation>
    </message>
    <message>
        <source>gaussian</source>
        <translation>高斯</translation>
    </message>
    <message>
        <source>A normal with std 1/r, B zero.</source>
        <translation>A 服从标准差为 1/r 的正态分布，B 为零。</translation>
    </message>
    <message>
        <source>PiSSA</source>
        <translation>PiSSA</translation>
    </message>
    <message>
        <source>A and B from the principal singular vectors of each weight; the residual replaces the base weight.</source>
        <translation>A 和 B 取自每个权重的主奇异向量；残差替换基础权重。</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>开销</translation>
    </message>
    <message>
        <source>exclude_modules, modules_to_save, rank_pattern and alpha_pattern</source>
        <translation>exclude_modules、modules_to_save、rank_pattern 和 alpha_pattern</translation>
    </message>
    <message numerus="yes">
        <source>Advanced (%n in use)</source>
        <translation>
            <numerusform>高级（%n 项已设置）</numerusform>
        </translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>unknown (no NVIDIA driver to ask)</source>
        <translation>未知（没有可查询的 NVIDIA 驱动）</translation>
    </message>
    <message>
        <source>%1 on %2 (%3), %4 free</source>
        <translation>%1，%2（%3），可用 %4</translation>
    </message>
    <message>
        <source>DoRA (a trained magnitude per output)</source>
        <translation>DoRA（每个输出训练一个幅度）</translation>
    </message>
    <message>
        <source>Weight-decomposed LoRA (PEFT&apos;s use_dora): W&apos; = m · (W + ΔW) / ‖W + ΔW‖ per output row, with the magnitude m trained too. Costs one number per output and some speed.</source>
        <translation>权重分解 LoRA（PEFT 的 use_dora）：按输出行 W&apos; = m · (W + ΔW) / ‖W + ΔW‖，幅度 m 也参与训练。每个输出多一个参数，速度略降。</translation>
    </message>
    <message>
        <source>none: dense base weights</source>
        <translation>none：基础权重不量化</translation>
    </message>
    <message>
        <source>nf4: 4-bit NormalFloat (QLoRA)</source>
        <translation>nf4：4 位 NormalFloat（QLoRA）</translation>
    </message>
    <message>
        <source>int8: 8 bits per weight</source>
        <translation>int8：每个权重 8 位</translation>
    </message>
    <message>
        <source>lora.quantization: keep the frozen base weights of the adapted layers quantized while training; each matmul dequantizes them. Merge and export read the original checkpoint.</source>
        <translation>lora.quantization：训练时以量化形式保存被适配层的冻结基础权重，每次矩阵乘法时反量化。合并与导出读取原始检查点。</translation>
    </message>
    <message>
        <source>all linear layers</source>
        <translation>所有线性层</translation>
    </message>
    <message>
        <source>Quantize every linear layer except the output head, not only the adapted ones.</source>
        <translation>量化除输出头外的所有线性层，而不仅是被适配的层。</translation>
    </message>
    <message>
        <source>Base weights:</source>
        <translation>基础权重：</translation>
    </message>
    <message>
        <source>nf4 would keep the base weights in %1 instead of %2 (%3 less at the peak).</source>
        <translation>使用 nf4 时基础权重占 %1 而非 %2（峰值减少 %3）。</translation>
    </message>
    <message>
        <source>Base weights %1 instead of %2: %3 less at the peak.</source>
        <translation>基础权重占 %1 而非 %2：峰值减少 %3。</translation>
    </message>
    <message>
        <source>bitsandbytes stored every linear layer of this model quantized (%1): they stay so while training, adapted or not.</source>
        <translation>bitsandbytes 已将此模型的所有线性层量化存储（%1）：训练时无论是否被适配，它们都保持量化。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::MainWindow</name>
    <message>
        <source>LoRA Studio projects (*.yaml *.yml);;All files (*)</source>
        <translation>LoRA Studio 项目 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them before closing it?</source>
        <translation>%1 有未保存的更改。关闭前要保存吗？</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New Project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About LoRA Studio</source>
        <translation>关于 LoRA Studio(&amp;A)</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Project opened with warnings</source>
        <translation>项目已打开，但有警告</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>An untitled project</source>
        <translation>一个未命名项目</translation>
    </message>
    <message>
        <source>Recover unsaved changes</source>
        <translation>恢复未保存的更改</translation>
    </message>
    <message>
        <source>LoRA Studio did not close normally last time. %1 has unsaved changes from %2.

Restore them?</source>
        <translation>LoRA Studio 上次没有正常关闭。%1 有来自 %2 的未保存更改。

要恢复吗？</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Decide Later</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <source>Cannot recover the project</source>
        <translation>无法恢复项目</translation>
    </message>
    <message>
        <source>%1

The autosave file is kept at %2.</source>
        <translation>%1

自动保存文件保留在 %2。</translation>
    </message>
    <message>
        <source>Recovered unsaved changes of %1</source>
        <translation>已恢复 %1 的未保存更改</translation>
    </message>
    <message>
        <source>New project: choose a base model and data</source>
        <translation>新项目：请选择基础模型和数据</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>%1[*] — LoRA Studio</source>
        <translation>%1[*] — LoRA Studio</translation>
    </message>
    <message>
        <source>%1 · %2 parameters</source>
        <translation>%1 · %2 个参数</translation>
    </message>
    <message>
        <source>No base model</source>
        <translation>未选择基础模型</translation>
    </message>
    <message>
        <source>Base model not readable</source>
        <translation>无法读取基础模型</translation>
    </message>
    <message>
        <source>Output: %1%2</source>
        <translation>输出：%1%2</translation>
    </message>
    <message>
        <source> (project folder is read-only)</source>
        <translation>（项目文件夹只读）</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>Keep training after LoRA Studio closes? The run stops at its next step with a checkpoint and continues at once in a background process (lorastudio-cli) in the same run folder. Opening this project again shows it live, with Pause and Stop.</source>
        <translation>关闭 LoRA Studio 后继续训练吗？训练会在下一步停下并写入检查点，随即在后台进程（lorastudio-cli）中于同一运行文件夹继续。再次打开此项目即可实时查看，并可暂停和停止。</translation>
    </message>
    <message>
        <source>Keep Training in Background</source>
        <translation>在后台继续训练</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>停止并退出</translation>
    </message>
    <message>
        <source>Comments will go</source>
        <translation>注释将丢失</translation>
    </message>
    <message>
        <source>These comments belong to keys that are no longer in the project, so saving drops them:

%1

Save anyway?</source>
        <translation>这些注释所属的键已不在项目中，保存时会丢失：

%1

仍要保存吗？</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>The window size and the pages&apos; panel sizes as at first start</source>
        <translation>窗口大小和各页面板大小恢复为首次启动时的样子</translation>
    </message>
    <message>
        <source>Layout reset</source>
        <translation>布局已重置</translation>
    </message>
    <message>
        <source>Correct the misspelled keys? %1

Keys left as they are stay in the file when it is saved.</source>
        <translation>要更正拼错的键吗？%1

保持原样的键在保存时会保留在文件中。</translation>
    </message>
    <message>
        <source>Apply Corrections</source>
        <translation>应用更正</translation>
    </message>
    <message>
        <source>Keep as Written</source>
        <translation>保持原样</translation>
    </message>
    <message>
        <source>Unknown keys stay in the file when it is saved.</source>
        <translation>未知的键在保存时会保留在文件中。</translation>
    </message>
    <message>
        <source>Cannot apply the corrections</source>
        <translation>无法应用更正</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) corrected: save to write them</source>
        <translation>
            <numerusform>已更正 %n 个键：保存后写入文件</numerusform>
        </translation>
    </message>
    <message>
        <source>Handing the run over to a background process…</source>
        <translation>正在把训练交给后台进程…</translation>
    </message>
    <message>
        <source>Cannot keep training in the background</source>
        <translation>无法在后台继续训练</translation>
    </message>
    <message>
        <source>Following the run training in the background (process %1)</source>
        <translation>正在跟踪后台训练（进程 %1）</translation>
    </message>
    <message>
        <source>Saved %1, keeping %2 as written</source>
        <translation>已保存 %1，%2 按原样保留</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::MemoryBar</name>
    <message>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>%1 (off the scale) →</source>
        <translation>%1（超出刻度）→</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ModelPanel</name>
    <message>
        <source>Base model:</source>
        <translation>基础模型：</translation>
    </message>
    <message>
        <source>A Hugging Face model folder (config.json + *.safetensors)</source>
        <translation>Hugging Face 模型文件夹（config.json + *.safetensors）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>MLP size</source>
        <translation>MLP 大小</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Data type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>Hugging Face cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>重新扫描</translation>
    </message>
    <message>
        <source>Use selected model</source>
        <translation>使用所选模型</translation>
    </message>
    <message>
        <source>Looking in %1 …</source>
        <translation>正在查找 %1 …</translation>
    </message>
    <message>
        <source>not usable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>No models found in %1.</source>
        <translation>在 %1 中没有找到模型。</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) in %1. Double-click one to use it.</source>
        <translation>
            <numerusform>%1 中有 %n 个模型。双击即可使用。</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>%1 (head size %2)</source>
        <translation>%1（头维度 %2）</translation>
    </message>
    <message>
        <source>%1, key/value %2 (head size %3)</source>
        <translation>%1，键/值 %2（头维度 %3）</translation>
    </message>
    <message>
        <source>%1 in config, %2 in the checkpoint</source>
        <translation>配置中为 %1，检查点中为 %2</translation>
    </message>
    <message>
        <source>unset</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>, tied embeddings counted once</source>
        <translation>，共享的嵌入只计一次</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n 个文件，%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>8-bit</source>
        <translation>8 位</translation>
    </message>
    <message>
        <source>linear weights stored quantized by bitsandbytes (%1, double quantization)</source>
        <translation>线性层权重由 bitsandbytes 量化存储（%1，双重量化）</translation>
    </message>
    <message>
        <source>linear weights stored quantized by bitsandbytes (%1)</source>
        <translation>线性层权重由 bitsandbytes 量化存储（%1）</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ModulesPanel</name>
    <message>
        <source>%1 (attention)</source>
        <translation>%1（注意力）</translation>
    </message>
    <message>
        <source>%1 (MLP)</source>
        <translation>%1（MLP）</translation>
    </message>
    <message>
        <source>Attention q, v</source>
        <translation>注意力 q、v</translation>
    </message>
    <message>
        <source>All attention</source>
        <translation>全部注意力</translation>
    </message>
    <message>
        <source>All linear</source>
        <translation>全部线性层</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Names</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <source>Names: a module is targeted when its name equals an entry or ends with &quot;.entry&quot;. Regex: the expression must match the whole module name. &quot;all-linear&quot; targets every linear layer except the output head.</source>
        <translation>名称：模块名等于某一项或以 &quot;.项&quot; 结尾时被选中。正则表达式：必须匹配完整的模块名。&quot;all-linear&quot; 选中除输出头以外的所有线性层。</translation>
    </message>
    <message>
        <source>e.g. q_proj, v_proj   or   .*\.(q|v)_proj</source>
        <translation>例如 q_proj, v_proj   或   .*\.(q|v)_proj</translation>
    </message>
    <message>
        <source>Target modules:</source>
        <translation>目标模块：</translation>
    </message>
    <message>
        <source>all layers (e.g. 0-3, 8)</source>
        <translation>所有层（例如 0-3, 8）</translation>
    </message>
    <message>
        <source>layers_to_transform: only these layers get LoRA. Applies to name endings, not to regexes or names written out in full (as in PEFT).</source>
        <translation>layers_to_transform：只有这些层加 LoRA。只作用于名称结尾匹配，不作用于正则表达式或完整写出的名称（与 PEFT 相同）。</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>Shape (in → out)</source>
        <translation>形状（输入 → 输出）</translation>
    </message>
    <message>
        <source>LoRA parameters</source>
        <translation>LoRA 参数</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source> (tied)</source>
        <translation>（共享）</translation>
    </message>
    <message>
        <source>%1 of %2 modules selected · %3 LoRA parameters</source>
        <translation>已选 %1 / %2 个模块 · %3 个 LoRA 参数</translation>
    </message>
    <message>
        <source>Preset: write this selection into the target modules</source>
        <translation>预设：把此选择写入目标模块</translation>
    </message>
    <message>
        <source>Choose a base model on the Model page to see its modules.</source>
        <translation>请在“模型”页选择基础模型以查看其模块。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::PatternTable</name>
    <message>
        <source>Pattern</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Earlier rows win: the first pattern that matches a module decides.</source>
        <translation>靠前的行优先：由第一个匹配模块的模式决定。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::PlaygroundPanel</name>
    <message>
        <source>0: greedy (always the most likely token)</source>
        <translation>0：贪心（总是选概率最高的 token）</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p：</translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation>最大新 token 数：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>With the adapter</source>
        <translation>使用适配器</translation>
    </message>
    <message>
        <source>Adapter: %1</source>
        <translation>适配器：%1</translation>
    </message>
    <message>
        <source>No adapter in %1 yet (train first): only the base model generates.</source>
        <translation>%1 中还没有适配器（请先训练）：只有基础模型生成。</translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>生成失败：%1</translation>
    </message>
    <message>
        <source>An instruction, e.g. How many legs does a horse have?</source>
        <translation>一条指令，例如：马有几条腿？</translation>
    </message>
    <message>
        <source>Wrap in the data&apos;s template</source>
        <translation>套用数据的模板</translation>
    </message>
    <message>
        <source>On: the text above is an instruction, put in the template the project trains with (data.chat_template, or the tokenizer&apos;s), as the adapter saw its examples. Off: the text is given as it is.</source>
        <translation>开启：上面的文字作为指令，套入项目训练所用的模板（data.chat_template 或分词器的模板），与适配器见过的样本一致。关闭：按原文输入模型。</translation>
    </message>
    <message>
        <source>No base model: choose one on the Model page.</source>
        <translation>没有基础模型：请在“模型”页选择。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>A new language takes effect the next time LoRA Studio starts.</source>
        <translation>新语言将在下次启动 LoRA Studio 时生效。</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>How often unsaved changes are copied aside for recovery after a crash.</source>
        <translation>多久把未保存的更改另存一份，以便崩溃后恢复。</translation>
    </message>
    <message>
        <source>Autosave every:</source>
        <translation>自动保存间隔：</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Appearance:</source>
        <translation>外观：</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::ProjectDocument</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>adapter settings</source>
        <translation>适配器设置</translation>
    </message>
    <message>
        <source>data settings</source>
        <translation>数据设置</translation>
    </message>
    <message>
        <source>run settings</source>
        <translation>运行设置</translation>
    </message>
    <message>
        <source>output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>change to the %1</source>
        <translation>修改%1</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::RankPanel</name>
    <message>
        <source>Open adapter…</source>
        <translation>打开适配器…</translation>
    </message>
    <message>
        <source>Analyse a PEFT adapter folder (adapter_config.json + adapter_model.safetensors)</source>
        <translation>分析 PEFT 适配器文件夹（adapter_config.json + adapter_model.safetensors）</translation>
    </message>
    <message>
        <source>Compare two…</source>
        <translation>比较两个…</translation>
    </message>
    <message>
        <source>Subspace similarity φ between two adapters or checkpoints</source>
        <translation>两个适配器或检查点之间的子空间相似度 φ</translation>
    </message>
    <message>
        <source>Module:</source>
        <translation>模块：</translation>
    </message>
    <message>
        <source>No analysis yet: train (a snapshot every few steps) or open an adapter folder.</source>
        <translation>尚无分析：开始训练（每隔几步一次快照）或打开适配器文件夹。</translation>
    </message>
    <message>
        <source>Singular values of ΔW</source>
        <translation>ΔW 的奇异值</translation>
    </message>
    <message>
        <source>index i</source>
        <translation>序号 i</translation>
    </message>
    <message>
        <source>σᵢ</source>
        <translation>σᵢ</translation>
    </message>
    <message>
        <source>Energy in the top k directions</source>
        <translation>前 k 个方向上的能量</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>energy</source>
        <translation>能量</translation>
    </message>
    <message>
        <source>95%</source>
        <translation>95%</translation>
    </message>
    <message>
        <source>Effective rank per layer and module</source>
        <translation>每层每模块的有效秩</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>effective rank</source>
        <translation>有效秩</translation>
    </message>
    <message>
        <source>Subspace similarity φ(i, j)</source>
        <translation>子空间相似度 φ(i, j)</translation>
    </message>
    <message>
        <source>j (second)</source>
        <translation>j（第二个）</translation>
    </message>
    <message>
        <source>i (first)</source>
        <translation>i（第一个）</translation>
    </message>
    <message>
        <source>φ</source>
        <translation>φ</translation>
    </message>
    <message>
        <source>Compare two adapters to see φ.</source>
        <translation>比较两个适配器以查看 φ。</translation>
    </message>
    <message>
        <source>Open adapter folder</source>
        <translation>打开适配器文件夹</translation>
    </message>
    <message>
        <source>Training, step %1</source>
        <translation>训练中，第 %1 步</translation>
    </message>
    <message>
        <source>Cannot analyse %1: %2</source>
        <translation>无法分析 %1：%2</translation>
    </message>
    <message>
        <source>Adapter %1</source>
        <translation>适配器 %1</translation>
    </message>
    <message>
        <source>Cannot compare %1 with %2: %3</source>
        <translation>无法比较 %1 与 %2：%3</translation>
    </message>
    <message>
        <source>%1: φ(1,1) = %2, φ(r,r) = %3</source>
        <translation>%1：φ(1,1) = %2，φ(r,r) = %3</translation>
    </message>
    <message>
        <source>φ of ΔW&apos;s input directions</source>
        <translation>ΔW 输入方向的 φ</translation>
    </message>
    <message>
        <source>φ of ΔW&apos;s output directions</source>
        <translation>ΔW 输出方向的 φ</translation>
    </message>
    <message>
        <source>φ of A&apos;s row space (LoRA paper)</source>
        <translation>A 行空间的 φ（LoRA 论文）</translation>
    </message>
    <message>
        <source>Which subspaces are compared. A barely moves from its random start in a short run, so ΔW&apos;s singular directions show more.</source>
        <translation>比较哪些子空间。短训练中 A 几乎不偏离随机初值，因此 ΔW 的奇异方向更能说明问题。</translation>
    </message>
    <message>
        <source>%1 vs %2 · </source>
        <translation>%1 对比 %2 · </translation>
    </message>
    <message>
        <source>Analysing %1…</source>
        <translation>正在分析 %1…</translation>
    </message>
    <message>
        <source>Comparing %1 with %2…</source>
        <translation>正在比较 %1 与 %2…</translation>
    </message>
    <message>
        <source>Compare: the first adapter or checkpoint (1 of 2)</source>
        <translation>比较：第一个适配器或检查点（1/2）</translation>
    </message>
    <message>
        <source>Compare with %1: the second adapter or checkpoint (2 of 2)</source>
        <translation>与 %1 比较：第二个适配器或检查点（2/2）</translation>
    </message>
    <message>
        <source>Run completed at step %1</source>
        <translation>运行已在第 %1 步完成</translation>
    </message>
    <message>
        <source>Run stopped at step %1</source>
        <translation>运行已在第 %1 步停止</translation>
    </message>
    <message>
        <source>Run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <source>%1; the spectra are its last snapshot, at step %2</source>
        <translation>%1；谱图为其最后一次快照，第 %2 步</translation>
    </message>
    <message>
        <source>Click a cell to show that module&apos;s singular values</source>
        <translation>点击单元格以显示该模块的奇异值</translation>
    </message>
    <message>
        <source>Suggested ranks</source>
        <translation>建议的秩</translation>
    </message>
    <message>
        <source>Where learning happened</source>
        <translation>学习发生在哪里</translation>
    </message>
    <message>
        <source>Subspace similarity φ</source>
        <translation>子空间相似度 φ</translation>
    </message>
    <message>
        <source>, amplification %1</source>
        <translation>，放大系数 %1</translation>
    </message>
    <message>
        <source>%1: r = %2, effective rank %3, k95 = %4%5. %6</source>
        <translation>%1：r = %2，有效秩 %3，k95 = %4%5。%6</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::RankSuggestionView</name>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>%1% of each update&apos;s energy</source>
        <translation>每个更新能量的 %1%</translation>
    </message>
    <message>
        <source>Per module: the fewest directions k whose σᵢ² sum to this share of Σσᵢ², rounded up to a power of two, within [1, r] (docs/insight.md)</source>
        <translation>每个模块：σᵢ² 之和达到 Σσᵢ² 此比例的最少方向数 k，向上取到 2 的幂，限制在 [1, r] 内（docs/insight.md）</translation>
    </message>
    <message>
        <source>Write to project</source>
        <translation>写入项目</translation>
    </message>
    <message>
        <source>Sets lora.rank_pattern of the open project to these ranks (one step of Edit ▸ Undo)</source>
        <translation>把当前项目的 lora.rank_pattern 设为这些秩（可用“编辑 ▸ 撤销”一步撤回）</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>r</source>
        <translation>r</translation>
    </message>
    <message>
        <source>Suggested r</source>
        <translation>建议 r</translation>
    </message>
    <message>
        <source>Energy kept</source>
        <translation>保留能量</translation>
    </message>
    <message>
        <source>Parameters saved</source>
        <translation>节省参数</translation>
    </message>
    <message>
        <source>Train, or open an adapter, to see which ranks would do.</source>
        <translation>训练或打开一个适配器，即可看到多大的秩就够用。</translation>
    </message>
    <message>
        <source>zero update</source>
        <translation>零更新</translation>
    </message>
    <message>
        <source>The update is zero: nothing to measure, r kept</source>
        <translation>更新为零：无从衡量，保留 r</translation>
    </message>
    <message>
        <source>k = %1 directions keep the share; ‖ΔW − ΔW_k‖_F / ‖ΔW‖_F = %2 at the suggested rank</source>
        <translation>k = %1 个方向即可保留该比例；在建议的秩下 ‖ΔW − ΔW_k‖_F / ‖ΔW‖_F = %2</translation>
    </message>
    <message>
        <source>LoRA parameters %1 → %2 (%3% fewer).</source>
        <translation>LoRA 参数 %1 → %2（减少 %3%）。</translation>
    </message>
    <message numerus="yes">
        <source>%n zero update(s) keep their r.</source>
        <translation>
            <numerusform>%n 个零更新保留原来的 r。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not written: %1</source>
        <translation>未写入：%1</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n rank_pattern key(s) into the project (r = %1); Edit ▸ Undo takes them back.</source>
        <translation>
            <numerusform>已向项目写入 %n 个 rank_pattern 键（r = %1）；“编辑 ▸ 撤销”可撤回。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::RunSettingsPanel</name>
    <message>
        <source>A run is in progress: changes here apply to the next run.</source>
        <translation>正在训练：此处的更改将在下一次运行时生效。</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>优化</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>must be &gt; 0, e.g. 2e-4</source>
        <translation>必须 &gt; 0，例如 2e-4</translation>
    </message>
    <message>
        <source>Peak learning rate of AdamW, reached after warmup. LoRA usually trains well with 1e-4 to 3e-4.</source>
        <translation>AdamW 的峰值学习率，在预热结束后达到。LoRA 通常在 1e-4 到 3e-4 之间训练效果较好。</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Examples per forward/backward pass. Memory grows with it; lower it if the run does not fit.</source>
        <translation>每次前向/反向传播的样本数。内存随之增长；内存不足时请调小。</translation>
    </message>
    <message>
        <source>Gradient accumulation:</source>
        <translation>梯度累积：</translation>
    </message>
    <message>
        <source>Passes whose gradients add up before one optimizer step: a bigger effective batch without more memory.</source>
        <translation>在一次优化器更新前累加梯度的传播次数：不增加内存即可获得更大的有效批大小。</translation>
    </message>
    <message>
        <source>Weight decay:</source>
        <translation>权重衰减：</translation>
    </message>
    <message>
        <source>must be &gt;= 0, e.g. 0 or 0.01</source>
        <translation>必须 &gt;= 0，例如 0 或 0.01</translation>
    </message>
    <message>
        <source>AdamW&apos;s decoupled weight decay on the LoRA weights; 0 turns it off.</source>
        <translation>AdamW 对 LoRA 权重施加的解耦权重衰减；0 表示关闭。</translation>
    </message>
    <message>
        <source>Adam β1:</source>
        <translation>Adam β1：</translation>
    </message>
    <message>
        <source>Adam β2:</source>
        <translation>Adam β2：</translation>
    </message>
    <message>
        <source>must be in [0, 1), e.g. 0.9 and 0.999</source>
        <translation>必须在 [0, 1) 范围内，例如 0.9 和 0.999</translation>
    </message>
    <message>
        <source>Decay of AdamW&apos;s running mean of the gradients (β1), usually 0.9.</source>
        <translation>AdamW 梯度滑动平均的衰减系数 (β1)，通常为 0.9。</translation>
    </message>
    <message>
        <source>Decay of AdamW&apos;s running mean of the squared gradients (β2), usually 0.999.</source>
        <translation>AdamW 梯度平方滑动平均的衰减系数 (β2)，通常为 0.999。</translation>
    </message>
    <message>
        <source>Adam ε:</source>
        <translation>Adam ε：</translation>
    </message>
    <message>
        <source>must be &gt; 0, e.g. 1e-8</source>
        <translation>必须 &gt; 0，例如 1e-8</translation>
    </message>
    <message>
        <source>Added to AdamW&apos;s denominator for numerical stability, usually 1e-8.</source>
        <translation>加到 AdamW 分母上以保证数值稳定，通常为 1e-8。</translation>
    </message>
    <message>
        <source>Max gradient norm:</source>
        <translation>最大梯度范数：</translation>
    </message>
    <message>
        <source>must be &gt;= 0, e.g. 1.0</source>
        <translation>必须 &gt;= 0，例如 1.0</translation>
    </message>
    <message>
        <source>Clips the global gradient norm to this value; 0 disables clipping.</source>
        <translation>将全局梯度范数裁剪到此值；0 表示不裁剪。</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Seed for the LoRA initialisation and dropout: the same seed repeats a run exactly.</source>
        <translation>LoRA 初始化和 dropout 的随机种子：相同的种子可精确重复一次运行。</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮数：</translation>
    </message>
    <message>
        <source>Passes over the training data; may be fractional. Ignored when max steps is above 0.</source>
        <translation>遍历训练数据的次数，可以是小数。最大步数大于 0 时忽略此项。</translation>
    </message>
    <message>
        <source>Max steps:</source>
        <translation>最大步数：</translation>
    </message>
    <message>
        <source>Optimizer steps to train. Above 0 it wins over epochs; 0 trains for the epochs.</source>
        <translation>训练的优化器步数。大于 0 时优先于轮数；为 0 时按轮数训练。</translation>
    </message>
    <message>
        <source>0 (use epochs)</source>
        <translation>0（按轮数）</translation>
    </message>
    <message>
        <source>cosine: decay to 0 along a cosine</source>
        <translation>cosine：按余弦曲线衰减到 0</translation>
    </message>
    <message>
        <source>linear: decay to 0 in a straight line</source>
        <translation>linear：线性衰减到 0</translation>
    </message>
    <message>
        <source>constant: keep the peak rate</source>
        <translation>constant：保持峰值学习率</translation>
    </message>
    <message>
        <source>The learning rate&apos;s shape after warmup.</source>
        <translation>预热之后学习率的变化方式。</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>调度：</translation>
    </message>
    <message>
        <source>Warmup steps:</source>
        <translation>预热步数：</translation>
    </message>
    <message>
        <source>Linear warmup from 0 over this many steps. Above 0 it wins over the warmup ratio.</source>
        <translation>在这么多步内从 0 线性预热。大于 0 时优先于预热比例。</translation>
    </message>
    <message>
        <source>Warmup ratio:</source>
        <translation>预热比例：</translation>
    </message>
    <message>
        <source>Warmup as a fraction of all steps; used when warmup steps is 0.</source>
        <translation>预热占总步数的比例；预热步数为 0 时使用。</translation>
    </message>
    <message>
        <source>Precision &amp;&amp; memory</source>
        <translation>精度与内存</translation>
    </message>
    <message>
        <source>fp32: full precision</source>
        <translation>fp32：全精度</translation>
    </message>
    <message>
        <source>bf16: half the activation memory</source>
        <translation>bf16：激活内存减半</translation>
    </message>
    <message>
        <source>fp16: half precision with loss scaling</source>
        <translation>fp16：半精度，带损失缩放</translation>
    </message>
    <message>
        <source>Compute precision of the forward and backward passes. LoRA weights and optimizer state stay fp32.</source>
        <translation>前向与反向传播的计算精度。LoRA 权重和优化器状态保持 fp32。</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>精度：</translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation>梯度检查点</translation>
    </message>
    <message>
        <source>Recompute activations in the backward pass: much less memory, about a third more compute.</source>
        <translation>在反向传播中重新计算激活：大幅减少内存，计算量增加约三分之一。</translation>
    </message>
    <message>
        <source>Checkpoints &amp;&amp; logging</source>
        <translation>检查点与日志</translation>
    </message>
    <message>
        <source>Evaluate every:</source>
        <translation>评估间隔：</translation>
    </message>
    <message>
        <source>Steps between validation runs; 0 = never.</source>
        <translation>两次验证之间的步数；0 表示从不验证。</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Save every:</source>
        <translation>保存间隔：</translation>
    </message>
    <message>
        <source>Steps between checkpoints; 0 = only at the end. A stopped run always writes one.</source>
        <translation>两个检查点之间的步数；0 表示仅在结束时保存。停止运行时总会写入一个检查点。</translation>
    </message>
    <message>
        <source>only at the end</source>
        <translation>仅在结束时</translation>
    </message>
    <message>
        <source>Checkpoints kept:</source>
        <translation>保留检查点数：</translation>
    </message>
    <message>
        <source>After each save, older checkpoints beyond the newest N are deleted; 0 keeps them all.</source>
        <translation>每次保存后，删除最新 N 个之外的旧检查点；0 表示全部保留。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Log every:</source>
        <translation>日志间隔：</translation>
    </message>
    <message>
        <source>Steps between log lines and plot points.</source>
        <translation>两条日志及两个图表数据点之间的步数。</translation>
    </message>
    <message>
        <source>Spectra every:</source>
        <translation>谱分析间隔：</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not valid: %3</source>
        <translation>%1：“%2”无效：%3</translation>
    </message>
    <message>
        <source>Effective batch: %1 × %2 = %3 examples per optimizer step</source>
        <translation>有效批大小：%1 × %2 = 每次优化器更新 %3 个样本</translation>
    </message>
    <message>
        <source>Trains %1 optimizer steps: max steps wins, epochs is ignored.</source>
        <translation>训练 %1 个优化器步：以最大步数为准，忽略轮数。</translation>
    </message>
    <message>
        <source>Trains %1 epochs (max steps is 0).</source>
        <translation>训练 %1 轮（最大步数为 0）。</translation>
    </message>
    <message>
        <source>⚠ Epochs and max steps are both 0: nothing would train.</source>
        <translation>⚠ 轮数和最大步数都为 0：不会进行任何训练。</translation>
    </message>
    <message>
        <source>Warmup: %1 steps (warmup steps wins over the ratio).</source>
        <translation>预热：%1 步（预热步数优先于比例）。</translation>
    </message>
    <message>
        <source>Warmup: %1 % of all steps.</source>
        <translation>预热：总步数的 %1%。</translation>
    </message>
    <message>
        <source>output_dir: where the adapter, checkpoints and metrics.jsonl go; relative to the project&apos;s folder.</source>
        <translation>output_dir：适配器、检查点和 metrics.jsonl 的存放位置；相对于项目所在文件夹。</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <source>output_dir: must not be empty, e.g. runs/my-lora</source>
        <translation>output_dir：不能为空，例如 runs/my-lora</translation>
    </message>
    <message>
        <source>CPU threads:</source>
        <translation>CPU 线程：</translation>
    </message>
    <message>
        <source>Threads LibTorch and OpenBLAS compute with on the CPU; 0 = auto: OMP_NUM_THREADS when set, else every physical core.</source>
        <translation>LibTorch 和 OpenBLAS 在 CPU 上计算所用的线程数；0 = 自动：若设置了 OMP_NUM_THREADS 则用它，否则使用全部物理核心。</translation>
    </message>
    <message>
        <source>auto (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <source>In use now: %1 thread(s) · %2</source>
        <translation>当前使用：%1 个线程 · %2</translation>
    </message>
    <message>
        <source>The memory estimate (header, Adapter page) follows these settings.</source>
        <translation>内存估算（页眉和“适配器”页）随这些设置变化。</translation>
    </message>
    <message>
        <source>Steps between snapshots of the learned update&apos;s singular values, shown on the Inspect page; 0 = never.</source>
        <translation>两次记录所学更新的奇异值快照之间的步数，显示在“分析”页；0 表示从不。</translation>
    </message>
    <message>
        <source>LoRA+ ratio:</source>
        <translation>LoRA+ 比例：</translation>
    </message>
    <message>
        <source>must be &gt;= 0, e.g. 16, or 0 for plain LoRA</source>
        <translation>必须 &gt;= 0，例如 16；0 表示普通 LoRA</translation>
    </message>
    <message>
        <source>LoRA+: the B matrices learn at this many times the learning rate, the A matrices at the learning rate; 0 = off (one learning rate). The paper suggests 16.</source>
        <translation>LoRA+：B 矩阵的学习率是学习率的这么多倍，A 矩阵用学习率本身；0 = 关闭（单一学习率）。论文建议 16。</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>训练目标</translation>
    </message>
    <message>
        <source>Objective:</source>
        <translation>训练目标：</translation>
    </message>
    <message>
        <source>SFT: learn the answers</source>
        <translation>SFT：学习回答</translation>
    </message>
    <message>
        <source>DPO β:</source>
        <translation>DPO β：</translation>
    </message>
    <message>
        <source>must be &gt; 0, e.g. 0.1</source>
        <translation>必须 &gt; 0，例如 0.1</translation>
    </message>
    <message>
        <source>How strongly the policy is held near the reference: higher keeps it closer. 0.1 is TRL&apos;s default.</source>
        <translation>策略被约束在参考模型附近的强度：越大越接近参考模型。TRL 的默认值是 0.1。</translation>
    </message>
    <message>
        <source>DPO loss:</source>
        <translation>DPO 损失：</translation>
    </message>
    <message>
        <source>sigmoid: the DPO paper&apos;s loss</source>
        <translation>sigmoid：DPO 论文的损失</translation>
    </message>
    <message>
        <source>sigmoid: -log σ(β·margin). IPO: (margin − 1/(2β))², less prone to overfitting on pairs that are always told apart.</source>
        <translation>sigmoid：-log σ(β·差值)。IPO：(差值 − 1/(2β))²，在总能区分开的偏好对上更不容易过拟合。</translation>
    </message>
    <message>
        <source>Label smoothing:</source>
        <translation>标签平滑：</translation>
    </message>
    <message>
        <source>must be in [0, 0.5), e.g. 0.1</source>
        <translation>必须在 [0, 0.5) 范围内，例如 0.1</translation>
    </message>
    <message>
        <source>Conservative DPO (sigmoid loss only): the share of pairs whose chosen and rejected answers may be the wrong way round; 0 = plain DPO.</source>
        <translation>保守 DPO（仅 sigmoid 损失）：选中与被拒绝的回答可能标反了的偏好对所占比例；0 = 普通 DPO。</translation>
    </message>
    <message>
        <source>Each step compares every pair&apos;s chosen and rejected answer under the adapter and under the base model; the log shows the reward accuracy and margin.</source>
        <translation>每一步都在适配器下和基础模型下比较每个偏好对的选中回答与被拒绝回答；日志显示奖励准确率和奖励差。</translation>
    </message>
    <message>
        <source>The loss is the next-token loss on the answers.</source>
        <translation>损失是回答上的下一个词元预测损失。</translation>
    </message>
    <message>
        <source>DPO: prefer the chosen answers</source>
        <translation>DPO：偏好选中的回答</translation>
    </message>
    <message>
        <source>IPO: squared, on mean log-probabilities</source>
        <translation>IPO：平方损失，基于平均对数概率</translation>
    </message>
    <message>
        <source>Effective batch: %1 × %2 = %3 preference pairs per optimizer step</source>
        <translation>有效批大小：%1 × %2 = 每次优化器更新 %3 个偏好对</translation>
    </message>
    <message>
        <source>ORPO: learn and prefer the chosen answers</source>
        <translation>ORPO：学习并偏好选中的回答</translation>
    </message>
    <message>
        <source>SFT trains on the answers of instruction or chat data. DPO (Direct Preference Optimization) trains on preference pairs, a chosen and a rejected answer to each prompt, against the base model as reference (the adapter switched off: no second model in memory). ORPO trains on the same pairs without a reference: the next-token loss on the chosen sequences plus an odds-ratio term that favours them over the rejected ones.</source>
        <translation>SFT 在指令或对话数据的回答上训练。DPO（直接偏好优化）在偏好对上训练：每个提示有一个选中的回答和一个被拒绝的回答，以基础模型为参考（关闭适配器即可：内存中无需第二个模型）。ORPO 在同样的偏好对上训练而无需参考模型：选中序列上的下一个词元预测损失，加上一个让选中回答胜过被拒绝回答的几率比项。</translation>
    </message>
    <message>
        <source>ORPO λ:</source>
        <translation>ORPO λ：</translation>
    </message>
    <message>
        <source>Weight of ORPO&apos;s odds-ratio term beside the next-token loss (the paper&apos;s λ; TRL&apos;s beta). 0.1 is TRL&apos;s default.</source>
        <translation>ORPO 几率比项相对于下一个词元预测损失的权重（论文中的 λ；TRL 中的 beta）。TRL 的默认值是 0.1。</translation>
    </message>
    <message>
        <source>⚠ %1 trains on preference pairs: set the data format to preference pairs (Data page).</source>
        <translation>⚠ %1 在偏好对上训练：请把数据格式设为偏好对（数据页）。</translation>
    </message>
    <message>
        <source>⚠ The data holds preference pairs, which train with DPO or ORPO.</source>
        <translation>⚠ 数据中是偏好对，应使用 DPO 或 ORPO 训练。</translation>
    </message>
    <message>
        <source>Each step learns the chosen answers and compares their odds with the rejected ones; no reference pass. The log shows the reward accuracy and margin.</source>
        <translation>每一步都学习选中的回答，并比较它们与被拒绝回答的几率；无需参考模型前向计算。日志显示奖励准确率和奖励差。</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::StudioHeader</name>
    <message>
        <source>The open project</source>
        <translation>当前打开的项目</translation>
    </message>
    <message>
        <source>Trainable parameters of this adapter (exact, as PEFT counts them). Click for the Adapter page.</source>
        <translation>此适配器的可训练参数（精确值，与 PEFT 计数一致）。点击进入“适配器”页。</translation>
    </message>
    <message>
        <source>Estimated peak memory of a training step against the device&apos;s memory. Click for the Adapter page.</source>
        <translation>一个训练步的估算峰值内存与设备内存的对比。点击进入“适配器”页。</translation>
    </message>
    <message>
        <source>The training run. Click for the Train page.</source>
        <translation>训练运行。点击进入“训练”页。</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>No base model</source>
        <translation>未选择基础模型</translation>
    </message>
    <message>
        <source>Choose a base model on the Model page</source>
        <translation>请在“模型”页选择基础模型</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; trainable (%2 %)</source>
        <translation>可训练 &lt;b&gt;%1&lt;/b&gt;（%2%）</translation>
    </message>
    <message>
        <source>Peak &lt;b&gt;%1&lt;/b&gt; (the GPU&apos;s size cannot be read)</source>
        <translation>峰值 &lt;b&gt;%1&lt;/b&gt;（无法读取 GPU 容量）</translation>
    </message>
    <message>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <source>Peak &lt;b&gt;%1&lt;/b&gt; of %2 %3 · %4</source>
        <translation>峰值 &lt;b&gt;%1&lt;/b&gt; / %2 %3 · %4</translation>
    </message>
    <message>
        <source>No estimate</source>
        <translation>无法估算</translation>
    </message>
    <message>
        <source>Completed at step %1</source>
        <translation>已在第 %1 步完成</translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2</source>
        <translation>已在第 %1 / %2 步停止</translation>
    </message>
    <message>
        <source>Diverged at step %1</source>
        <translation>在第 %1 步发散</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>尚未训练</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Loading the model and data…</source>
        <translation>正在加载模型和数据…</translation>
    </message>
    <message>
        <source>Paused at step %1 of %2</source>
        <translation>已在第 %1 / %2 步暂停</translation>
    </message>
    <message>
        <source>Training · step %1 of %2</source>
        <translation>训练中 · 第 %1 / %2 步</translation>
    </message>
    <message>
        <source>Run: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>运行：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::StudioPages</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The base model: its folder, architecture and size</source>
        <translation>基础模型：文件夹、架构和规模</translation>
    </message>
    <message>
        <source>Adapter</source>
        <translation>适配器</translation>
    </message>
    <message>
        <source>Target modules, rank, alpha and what they cost</source>
        <translation>目标模块、秩、alpha 及其开销</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>The training data, its template and its token lengths</source>
        <translation>训练数据、模板和 token 长度</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Run settings, start and watch the run, earlier runs</source>
        <translation>运行设置、开始并观察训练、以往运行</translation>
    </message>
    <message>
        <source>Inspect</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Singular values of the learned update, per module; compare checkpoints</source>
        <translation>逐模块查看所学更新的奇异值；比较检查点</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>试用</translation>
    </message>
    <message>
        <source>Generate with the base and the adapted model side by side</source>
        <translation>基础模型与适配后模型并排生成</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Write the PEFT adapter or the merged model</source>
        <translation>写出 PEFT 适配器或合并模型</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::TrainingController</name>
    <message>
        <source>A training run is already active.</source>
        <translation>已有训练正在进行。</translation>
    </message>
    <message>
        <source>The project&apos;s folder is read-only: output goes to %1</source>
        <translation>项目文件夹只读：输出写到 %1</translation>
    </message>
    <message>
        <source>Cannot start a training thread.</source>
        <translation>无法启动训练线程。</translation>
    </message>
    <message>
        <source>A background run is still training in %1 (hint: open its project to follow, pause or stop it)</source>
        <translation>%1 中仍有后台训练在进行（提示：打开其项目即可跟踪、暂停或停止）</translation>
    </message>
    <message>
        <source>A background run is still training in %1</source>
        <translation>%1 中仍有后台训练在进行</translation>
    </message>
    <message>
        <source>No background run is training in %1</source>
        <translation>%1 中没有正在进行的后台训练</translation>
    </message>
    <message>
        <source>The background run (process %1) ended without finishing its status (hint: see background.log in %2; its newest checkpoint can be resumed)</source>
        <translation>后台训练（进程 %1）未写完状态就结束了（提示：查看 %2 中的 background.log；可从其最新检查点恢复）</translation>
    </message>
    <message>
        <source>No training run in this window to continue in the background.</source>
        <translation>此窗口中没有可转到后台继续的训练。</translation>
    </message>
    <message>
        <source>Cannot find the command-line trainer at %1 (hint: it is installed beside the studio, or set LORASTUDIO_CLI)</source>
        <translation>在 %1 找不到命令行训练程序（提示：它与 Studio 安装在同一位置，或设置 LORASTUDIO_CLI）</translation>
    </message>
    <message>
        <source>The run stopped before its first checkpoint: there is nothing to continue in the background.</source>
        <translation>训练在第一个检查点之前就停止了：没有可在后台继续的内容。</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>无法启动 %1：%2</translation>
    </message>
    <message>
        <source>The data-parallel job did not start: %1</source>
        <translation>数据并行任务未能启动：%1</translation>
    </message>
</context>
<context>
    <name>lorastudio::ui::TrainingPanel</name>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start a fresh run of the open project</source>
        <translation>为当前项目开始一次新的训练</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop at the next step: a checkpoint and the adapter are written</source>
        <translation>在下一步停止：写入检查点和适配器</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Continue from the newest checkpoint in the output folder</source>
        <translation>从输出文件夹中最新的检查点继续</translation>
    </message>
    <message>
        <source>Write the trained adapter as a PEFT adapter or as a merged model</source>
        <translation>将训练好的适配器写为 PEFT 适配器或合并模型</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>train (EMA)</source>
        <translation>训练（EMA 平滑）</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>earlier: train</source>
        <translation>以前：训练</translation>
    </message>
    <message>
        <source>earlier: validation</source>
        <translation>以前：验证</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>‖g‖ (unclipped)</source>
        <translation>‖g‖（裁剪前）</translation>
    </message>
    <message>
        <source>grad norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>token/秒</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>measured peak</source>
        <translation>实测峰值</translation>
    </message>
    <message>
        <source>estimate</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>The trainer&apos;s log appears here.</source>
        <translation>训练日志显示在这里。</translation>
    </message>
    <message>
        <source>Overlay an earlier run</source>
        <translation>叠加以前的训练</translation>
    </message>
    <message>
        <source>Metrics (metrics.jsonl *.jsonl)</source>
        <translation>指标 (metrics.jsonl *.jsonl)</translation>
    </message>
    <message>
        <source>Checkpoint at step %1: %2</source>
        <translation>第 %1 步的检查点：%2</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Training started; output: %1</source>
        <translation>训练已开始；输出：%1</translation>
    </message>
    <message>
        <source>No checkpoint to resume from in %1 (hint: a run writes one every save_every steps and when it is stopped)</source>
        <translation>%1 中没有可恢复的检查点（提示：训练每 save_every 步以及停止时会写入一个）</translation>
    </message>
    <message>
        <source>Resumed from %1</source>
        <translation>已从 %1 恢复</translation>
    </message>
    <message>
        <source>Step %1 / %2 · epoch %3 · elapsed %4 · ETA %5</source>
        <translation>第 %1 / %2 步 · 轮次 %3 · 已用 %4 · 剩余 %5</translation>
    </message>
    <message>
        <source>Validation at step %1: loss %2, perplexity %3</source>
        <translation>第 %1 步验证：损失 %2，困惑度 %3</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>%1 at step %2 / %3</source>
        <translation>%1，第 %2 / %3 步</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Paused at step %1</source>
        <translation>已在第 %1 步暂停</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1:%2: not a JSON object (hint: pick a run&apos;s metrics.jsonl)</source>
        <translation>%1:%2：不是 JSON 对象（提示：请选择一次训练的 metrics.jsonl）</translation>
    </message>
    <message>
        <source>%1 holds no step or eval lines</source>
        <translation>%1 中没有 step 或 eval 记录</translation>
    </message>
    <message>
        <source>earlier: train (%1)</source>
        <translation>以前：训练 (%1)</translation>
    </message>
    <message>
        <source>reserved peak (CUDA)</source>
        <translation>预留峰值（CUDA）</translation>
    </message>
    <message>
        <source>allocated peak (CUDA)</source>
        <translation>已分配峰值（CUDA）</translation>
    </message>
    <message>
        <source>Earlier runs</source>
        <translation>以往运行</translation>
    </message>
    <message>
        <source>Earlier runs of this output folder (each Start keeps the one before in runs/): draw one behind the live curves, or delete one</source>
        <translation>此输出文件夹中的以往运行（每次开始都会把上一次保存在 runs/ 中）：将其绘制在实时曲线之后，或删除</translation>
    </message>
    <message>
        <source>No earlier run in this output folder</source>
        <translation>此输出文件夹中没有以往运行</translation>
    </message>
    <message>
        <source>Other metrics.jsonl…</source>
        <translation>其他 metrics.jsonl…</translation>
    </message>
    <message>
        <source>Delete an earlier run</source>
        <translation>删除以往运行</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Delete the run %1 with its checkpoints, adapter and metrics? This cannot be undone.</source>
        <translation>删除运行 %1 及其检查点、适配器和指标？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Deleted the earlier run %1</source>
        <translation>已删除以往运行 %1</translation>
    </message>
    <message>
        <source>Loading the model and data…</source>
        <translation>正在加载模型和数据…</translation>
    </message>
    <message>
        <source>Failed before the first step</source>
        <translation>在第一步之前失败</translation>
    </message>
    <message>
        <source>choose a base model first</source>
        <translation>请先选择基础模型</translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation>无法开始：%1</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Resume an earlier run</source>
        <translation>恢复以往运行</translation>
    </message>
    <message>
        <source>Following the background run (process %1) in %2: Pause and Stop act on it.</source>
        <translation>正在跟踪 %2 中的后台训练（进程 %1）：暂停和停止作用于它。</translation>
    </message>
    <message>
        <source>Several GPUs…</source>
        <translation>多 GPU…</translation>
    </message>
    <message>
        <source>Run on several GPUs or machines: launch scripts (torchrun, Slurm), or several ranks here</source>
        <translation>在多个 GPU 或多台机器上运行：启动脚本（torchrun、Slurm），或在本机启动多个 rank</translation>
    </message>
    <message>
        <source>chosen − rejected</source>
        <translation>选中 − 拒绝</translation>
    </message>
    <message>
        <source>Reward margin</source>
        <translation>奖励差</translation>
    </message>
    <message>
        <source>Validation at step %1: loss %2, reward accuracy %3, margin %4</source>
        <translation>第 %1 步验证：损失 %2，奖励准确率 %3，奖励差 %4</translation>
    </message>
</context>
</TS>
