# gguf-gemma-untied: a Gemma whose head is not the embedding, which llama.cpp's graph cannot run (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
cp -r "$SRC/tests/fixtures/gemma_phi3/gemma2/model" model
edit json model/config.json set tie_word_embeddings 'false'
