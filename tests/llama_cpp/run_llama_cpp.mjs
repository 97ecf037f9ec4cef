#!/usr/bin/env node
// Run real llama.cpp (through node-llama-cpp's prebuilt CPU binary) on GGUF files
// written by LoRA Studio, and print the results as one JSON object on stdout.
//
//   node run_llama_cpp.mjs [--modules DIR] [--out FILE] [--threads N] [--verbose] JOB.json|-
//   node run_llama_cpp.mjs [--modules DIR] --check        (only load the binary)
//
// DIR is the install dir of install_node_llama_cpp.sh or its node_modules; without
// --modules, NODE_PATH (":"-separated) is searched for node-llama-cpp.
// See README.md for the job formats.
import fs from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";

const NLC_EXPECTED_VERSION = "3.22.1";

// ---------- arguments ----------
const argv = process.argv.slice(2);
const opts = {modules: null, out: null, threads: 2, verbose: false, check: false, jobFile: null};
for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--modules") opts.modules = argv[++i];
    else if (a === "--out") opts.out = argv[++i];
    else if (a === "--threads") opts.threads = Number(argv[++i]);
    else if (a === "--verbose") opts.verbose = true;
    else if (a === "--check") opts.check = true;
    else if (a === "-h" || a === "--help") { usage(0); }
    else if (a.startsWith("--")) { console.error(`unknown option ${a}`); usage(2); }
    else if (opts.jobFile == null) opts.jobFile = a;
    else { console.error(`unexpected argument ${a}`); usage(2); }
}
if (!opts.check && opts.jobFile == null) usage(2);
if (!Number.isInteger(opts.threads) || opts.threads < 1) { console.error("--threads must be >= 1"); process.exit(2); }

function usage(code) {
    console.error("usage: node run_llama_cpp.mjs [--modules DIR] [--out FILE] [--threads N] [--verbose] JOB.json|-\n" +
        "       node run_llama_cpp.mjs [--modules DIR] --check");
    process.exit(code);
}

// ---------- locate node-llama-cpp ----------
function findPackageDir() {
    const candidates = [];
    if (opts.modules) {
        const d = path.resolve(opts.modules);
        candidates.push(path.join(d, "node-llama-cpp"), path.join(d, "node_modules", "node-llama-cpp"));
    } else {
        for (const p of (process.env.NODE_PATH ?? "").split(path.delimiter).filter(Boolean))
            candidates.push(path.join(path.resolve(p), "node-llama-cpp"));
    }
    for (const c of candidates)
        if (fs.existsSync(path.join(c, "package.json"))) return c;
    throw new Error("node-llama-cpp not found; pass --modules DIR or set NODE_PATH " +
        `(looked in: ${candidates.join(", ") || "<nothing: NODE_PATH empty>"}); ` +
        "install with tests/llama_cpp/install_node_llama_cpp.sh DIR");
}

const pkgDir = findPackageDir();
const pkgVersion = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
if (pkgVersion !== NLC_EXPECTED_VERSION)
    console.error(`run_llama_cpp: warning: node-llama-cpp ${pkgVersion} (harness written for ${NLC_EXPECTED_VERSION})`);
const nlc = await import(pathToFileURL(path.join(pkgDir, "dist", "index.js")).href);
const {getLlama, readGgufFileInfo, LlamaLogLevel} = nlc;

// All library / llama.cpp log lines go to stderr so stdout stays pure JSON.
let jobLog = [];
const llama = await getLlama({
    gpu: false,
    build: "never",          // never compile
    skipDownload: true,      // never fetch sources
    usePrebuiltBinaries: true,
    progressLogs: false,
    maxThreads: opts.threads,
    logLevel: opts.verbose ? LlamaLogLevel.debug : LlamaLogLevel.warn,
    logger: (level, message) => {
        const text = String(message).replace(/\n$/, "");
        process.stderr.write(`[llama.cpp ${level}] ${text}\n`);
        // llama.cpp's own reason for a failure only comes through the log; keep it for the job result.
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal || level === LlamaLogLevel.warn)
            jobLog.push(`${level}: ${text}`);
    }
});
const runtime = {
    node_llama_cpp: pkgVersion,
    llama_cpp_release: llama.llamaCppRelease,   // {repo, release}
    build_type: llama.buildType,                // "prebuilt" expected
    gpu: llama.gpu,
    threads: opts.threads,
    system_info: llama.systemInfo
};

if (opts.check) {
    const ok = llama.buildType === "prebuilt" && llama.gpu === false;
    emit({ok, runtime});
    await llama.dispose();
    process.exit(ok ? 0 : 1);
}

// ---------- helpers ----------
function emit(obj) {
    const text = JSON.stringify(obj) + "\n";
    if (opts.out) fs.writeFileSync(opts.out, text);
    process.stdout.write(text);
}

function errText(e) {
    return (e && (e.message || String(e))) || "unknown error";
}

const fileSig = (p) => { const st = fs.statSync(p); return `${st.mtimeMs}|${st.size}`; };
const models = new Map();   // key: path|vocabOnly|mtime|size -> LlamaModel
const loraSeen = new Map(); // LlamaModel -> Map(lora path -> fileSig) (node-llama-cpp caches adapters per model by path)
async function loadModel(modelPath, vocabOnly, loraPaths = []) {
    if (typeof modelPath !== "string" || modelPath === "") throw new Error("job.model must be a path");
    const abs = path.resolve(modelPath);
    const key = `${abs}|${vocabOnly ? 1 : 0}|${fileSig(abs)}`;   // statSync throws ENOENT clearly
    const cached = models.get(key);
    if (cached != null) {
        // An adapter file rewritten since it was loaded on this model: reload the model.
        const seen = loraSeen.get(cached);
        if (loraPaths.some(p => seen.has(p) && seen.get(p) !== fileSig(p))) {
            models.delete(key);
            await cached.dispose();
        }
    }
    if (!models.has(key)) {
        models.set(key, await llama.loadModel({
            modelPath: abs,
            gpuLayers: 0,
            vocabOnly: !!vocabOnly,
            useMmap: true,
            checkTensors: !vocabOnly,   // catch NaN/Inf or out-of-range tensor data early
            defaultContextFlashAttention: false,
            ignoreMemorySafetyChecks: true
        }));
        loraSeen.set(models.get(key), new Map());
    }
    const model = models.get(key);
    for (const p of loraPaths) loraSeen.get(model).set(p, fileSig(p));
    return model;
}

function nVocabOf(model) {
    const n = model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length;
    return typeof n === "number" ? n : null;
}

function checkIds(ids, nVocab, what) {
    if (!Array.isArray(ids) || ids.length === 0) throw new Error(`${what} must be a non-empty array of token ids`);
    for (const t of ids)
        if (!Number.isInteger(t) || t < 0 || (nVocab != null && t >= nVocab))
            throw new Error(`${what}: token id ${JSON.stringify(t)} out of range [0, ${nVocab})`);
}

// Large arrays (vocab, merges) are shortened for the info output.
function shorten(v, depth = 0) {
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
        const arr = Array.from(v);
        if (arr.length > 16) return {length: arr.length, head: arr.slice(0, 8).map(x => shorten(x, depth + 1))};
        return arr.map(x => shorten(x, depth + 1));
    }
    if (typeof v === "bigint") return Number(v);
    if (v && typeof v === "object") {
        if (depth > 8) return "...";
        const o = {};
        for (const [k, x] of Object.entries(v)) o[k] = shorten(x, depth + 1);
        return o;
    }
    return v;
}

// ---------- jobs ----------
async function jobGenerate(job) {
    const n = job.n ?? 8;
    if (!Number.isInteger(n) || n < 1) throw new Error("job.n must be an integer >= 1");
    const loras = (job.lora ?? []).map((l, i) => {
        if (typeof l === "string") l = {path: l};
        if (typeof l?.path !== "string") throw new Error(`job.lora[${i}].path missing`);
        if (!fs.existsSync(l.path)) throw new Error(`job.lora[${i}].path not found: ${l.path}`);
        const scale = l.scale ?? 1.0;
        if (typeof scale !== "number" || !Number.isFinite(scale)) throw new Error(`job.lora[${i}].scale must be a number`);
        return {filePath: path.resolve(l.path), scale};
    });
    const model = await loadModel(job.model, false, loras.map(l => l.filePath));
    const nVocab = nVocabOf(model);
    checkIds(job.prompt, nVocab, "job.prompt");
    const topK = job.top_k ?? 0;
    const wantFull = job.logits === "full";

    const contextSize = job.n_ctx ?? 256;
    // prompt.length + n - 1 tokens go into the KV cache; node-llama-cpp shifts the context
    // (drops tokens) when it would become completely full, so keep one slot free.
    if (job.prompt.length + n > contextSize)
        throw new Error(`prompt (${job.prompt.length}) + n (${n}) exceeds n_ctx ${contextSize}; pass a larger "n_ctx"`);
    // KV cache type: llama.cpp's default is F16; "f32" gets closer to an F32 reference implementation.
    const kvType = {f16: "F16", f32: "F32"}[(job.kv_type ?? "f16").toLowerCase()];
    if (kvType == null) throw new Error('job.kv_type must be "f16" or "f32"');

    const ctx = await model.createContext({
        contextSize,
        batchSize: Math.min(512, contextSize),
        sequences: 1,
        threads: {ideal: opts.threads, min: opts.threads},
        flashAttention: false,
        experimentalKvCacheKeyType: kvType,
        experimentalKvCacheValueType: kvType,
        ignoreMemorySafetyChecks: true,
        failedCreationRemedy: false,
        lora: loras.length > 0 ? {adapters: loras} : undefined
    });
    try {
        const seq = ctx.getSequence();
        const generateNext = {
            token: true,            // sampler's own choice (temperature 0 = greedy), only cross-checked
            logits: true,           // full raw logit vector; we take the argmax ourselves
            options: {temperature: 0}
        };
        const tokens = [], top1 = [], top = [], full = [];
        let samplerAgrees = true;
        let input = job.prompt.map((t, i) => (i === job.prompt.length - 1 ? [t, {generateNext}] : t));
        for (let step = 0; step < n; step++) {
            // Token ids go straight into llama_decode: no BOS, no tokenization, no EOG stop.
            const res = await seq.controlledEvaluate(input);
            const expectedPast = job.prompt.length + step;
            if (seq.nextTokenIndex !== expectedPast)
                throw new Error(`context shift at step ${step}: n_past ${seq.nextTokenIndex} != ${expectedPast}; use a larger "n_ctx"`);
            const next = res[input.length - 1]?.next;
            if (next?.logits == null) throw new Error(`no logits returned at step ${step}`);
            if (nVocab != null && next.logits.size !== nVocab)
                throw new Error(`got ${next.logits.size} logits, expected n_vocab ${nVocab}`);
            // argmax; ties broken towards the lowest token id
            let best = -1, bestLogit = -Infinity;
            for (const [tok, logit] of next.logits)
                if (logit > bestLogit || (logit === bestLogit && tok < best)) { best = tok; bestLogit = logit; }
            if (!Number.isFinite(bestLogit)) throw new Error(`non-finite logits at step ${step} (max ${bestLogit})`);
            if (next.token != null && next.token !== best) samplerAgrees = false;
            tokens.push(best);
            top1.push(bestLogit);
            if (topK > 0) {
                const sorted = [...next.logits].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, topK);
                top.push(sorted);
            }
            if (wantFull) {
                const v = new Array(next.logits.size);
                for (const [tok, logit] of next.logits) v[tok] = logit;
                full.push(v);
            }
            if (step + 1 < n) input = [[best, {generateNext}]];
        }
        // n_past = tokens in the KV cache = prompt.length + n - 1 (proves nothing, e.g. BOS, was added)
        const r = {tokens, top1_logits: top1, sampler_agrees: samplerAgrees, n_past: seq.nextTokenIndex, n_vocab: nVocab,
            n_ctx: ctx.contextSize, kv_type: kvType, lora: loras.map(l => ({path: l.filePath, scale: l.scale}))};
        if (topK > 0) r.top = top;           // per step: [[id, logit], ...] best first
        if (wantFull) r.logits = full;       // per step: logits[id]
        return r;
    } finally {
        await ctx.dispose();
    }
}

async function jobTokenize(job) {
    if (!Array.isArray(job.texts)) throw new Error("job.texts must be an array of strings");
    const model = await loadModel(job.model, job.vocab_only ?? true);
    const special = !!job.special;
    const tokens = job.texts.map(t => {
        if (typeof t !== "string") throw new Error("job.texts must contain strings");
        // common_tokenize(vocab, text, add_special=false, parse_special=special): no BOS/EOS
        return model.tokenize(t, special);
    });
    const r = {tokens, special, n_vocab: nVocabOf(model)};
    if (job.detokenize) r.detokenized = tokens.map(ids => model.detokenize(ids, special));
    return r;
}

async function jobInfo(job) {
    const abs = path.resolve(job.model);
    const gguf = await readGgufFileInfo(abs, {readTensorInfo: true, sourceType: "filesystem", logWarnings: false});
    const r = {
        file: {path: abs, size: fs.statSync(abs).size, version: gguf.version,
            tensor_count: Number(gguf.tensorCount ?? gguf.tensorInfo?.length ?? 0),
            metadata_size: gguf.metadataSize, tensor_info_size: gguf.tensorInfoSize},
        metadata: shorten(gguf.metadata),
        tensors: (gguf.tensorInfo ?? []).map(t => ({name: t.name, ne: t.dimensions.map(Number), type: t.ggmlType,
            offset: Number(t.offset)}))
    };
    const isAdapter = gguf.metadata?.general?.type === "adapter";
    if (!isAdapter && job.load !== false) {
        // What llama.cpp itself makes of the file (vocab only: cheap, no weights).
        try {
            const m = await loadModel(abs, job.vocab_only ?? true);
            r.llama = {n_vocab: nVocabOf(m), architecture: m.architecture, vocabulary_type: m.vocabularyType,
                train_context_size: m.trainContextSize, embedding_size: m.embeddingVectorSize,
                description: m.typeDescription, bos: m.tokens.bos, eos: m.tokens.eos, eot: m.tokens.eot,
                nl: m.tokens.nl, should_prepend_bos: m.tokens.shouldPrependBosToken,
                should_append_eos: m.tokens.shouldAppendEosToken, warnings: m.getWarnings()};
        } catch (e) {
            r.llama = {error: errText(e)};
        }
    }
    return r;
}

// ---------- main ----------
const jobText = opts.jobFile === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(opts.jobFile, "utf8");
const spec = JSON.parse(jobText);
const jobs = Array.isArray(spec) ? spec : spec.jobs;
if (!Array.isArray(jobs)) throw new Error('job file must be {"jobs":[...]}');

const results = [];
for (const job of jobs) {
    const t0 = performance.now();
    jobLog = [];
    let r;
    try {
        if (job.kind === "generate") r = await jobGenerate(job);
        else if (job.kind === "tokenize") r = await jobTokenize(job);
        else if (job.kind === "info") r = await jobInfo(job);
        else throw new Error(`unknown job kind ${JSON.stringify(job.kind)}`);
    } catch (e) {
        r = {error: errText(e)};
        if (opts.verbose) process.stderr.write(`${e?.stack ?? e}\n`);
    }
    // llama.cpp log lines reach JS asynchronously; let the ones of this job arrive.
    await new Promise(res => setTimeout(res, 20));
    // On failure keep every warn/error line. On success drop error lines and the resource
    // "simulation" warning: node-llama-cpp test-loads the file to estimate memory, which
    // fails harmlessly for vocab-only files ("missing tensor 'token_embd.weight'").
    const log = "error" in r ? jobLog
        : jobLog.filter(l => l.startsWith("warn:") && !l.includes("Failed simulating model resource usage"));
    r = {kind: job.kind, ...(job.id != null ? {id: job.id} : {}), ...r,
        ...(log.length > 0 ? {llama_log: log.slice(0, 50)} : {}),
        seconds: Math.round(performance.now() - t0) / 1000};
    results.push(r);
}
emit({runtime, results});
for (const m of models.values()) await m.dispose();
await llama.dispose();
