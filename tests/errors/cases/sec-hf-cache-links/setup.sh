# sec-hf-cache-links: a Hugging Face cache snapshot, every file a link to ../../blobs (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model src
repo=hub/models--org--tiny
mkdir -p "$repo/blobs" "$repo/snapshots/0123"
for f in src/*; do
    blob=$(sha256sum "$f" | cut -c1-40)
    cp "$f" "$repo/blobs/$blob"
    ln -s "../../blobs/$blob" "$repo/snapshots/0123/$(basename "$f")"
done
