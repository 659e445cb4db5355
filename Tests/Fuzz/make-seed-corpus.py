#!/usr/bin/env python3
"""Writes the committed seed corpus, Tests/Fuzz/corpus/<target>/, from the hand-picked cases
below (mostly the unit tests' byte tables). Re-run after editing a case; file names are the
case names, so a diff shows what changed. The input layouts are described in each harness.
"""
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent / "corpus"


def split_header(gaps=(), flags=0):
    """The SplitInput header: gap count and flags in byte 0, then the piece lengths minus one."""
    assert len(gaps) <= 15 and flags < 16
    return bytes([len(gaps) | flags << 4]) + bytes(g - 1 for g in gaps)


CHUNKED_HEAD = b"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"

REQUESTS = {
    "get": b"GET /v1/models HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\n\r\n",
    "post-length": b"POST /v1/chat/completions HTTP/1.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 13\r\n\r\n{\"model\":\"m\"}",
    "length-zero": b"POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
    "length-list": b"POST /a HTTP/1.1\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nhi",
    "chunked-extensions-trailers": CHUNKED_HEAD
    + b"5;ext=1\r\nhello\r\n6 ; name=\"v\"\r\n world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
    "chunked-bare-lf": b"POST /c HTTP/1.1\nTransfer-Encoding: Chunked\n\nA\n0123456789\n0\n\n",
    "bare-lf": b"GET /a HTTP/1.0\nHost: x\n\n",
    "leading-empty-lines": b"\r\n\n\r\nGET / HTTP/1.1\r\n\r\n",
    "whitespace-values": b"GET / HTTP/1.1\r\nX-A:  a \t b \t\r\nX-Empty:\r\nX-Spaces:   \r\n\r\n",
    "utf8-target": "GET /caf\u00e9?q=\U0001F999 HTTP/1.1\r\nX-Name: Zo\u00eb\r\n\r\n".encode(),
    "invalid-utf8-target": b"GET /\xff\xfe\xc3 HTTP/1.1\r\nX: \x80\r\n\r\n",
    "absolute-and-asterisk": b"GET http://example.com/x HTTP/1.1\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n",
    "pipelined": b"GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n"
    b"POST /3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\nGET /4 HTTP/1.1\r\n\r\n",
    "pipelined-flood": b"GET /nope HTTP/1.1\r\n\r\n" * 40,
    "expect-continue": b"POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
    "keep-alive-http10": b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n",
    "incomplete-head": b"GET / HTTP/1.1\r\nHost: a\r\n",
    "incomplete-length-body": b"POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
    "incomplete-chunk": CHUNKED_HEAD + b"10\r\nabc",
    "smuggle-cl-te": b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc",
    "smuggle-te-cl": b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n",
    "smuggle-te-twice": b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "smuggle-chunked-chunked": b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
    "smuggle-te-gzip-chunked": b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    "smuggle-te-space-colon": b"POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    "smuggle-te-obs-fold": b"POST / HTTP/1.1\r\nX: a\r\n Transfer-Encoding: chunked\r\n\r\n",
    "smuggle-cl-differing": b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "smuggle-cl-plus": b"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello",
    "smuggle-bare-cr": b"GET / HTTP/1.1\rX: y\r\n\r\n",
    "smuggle-chunk-ext-lf": CHUNKED_HEAD + b"5;a=\"b\nc\"\r\nhello\r\n0\r\n\r\n",
    "smuggle-chunk-bare-cr": CHUNKED_HEAD + b"5\r\nhello\rX",
    "chunk-size-overflow": CHUNKED_HEAD + b"1000000000000000\r\n",
    "chunk-size-long-line": CHUNKED_HEAD + b"5;" + b"e" * 300 + b"\r\nhello\r\n0\r\n\r\n",
    "malformed-trailer": CHUNKED_HEAD + b"0\r\nnot a trailer\r\n\r\n",
    "nul-in-value": b"GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n",
    "nul-in-target": b"GET /\x00 HTTP/1.1\r\n\r\n",
    "http2": b"GET / HTTP/2.0\r\n\r\n",
    "http09": b"GET /\r\n\r\n",
    "huge-length": b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
}

# (name, gaps, flags) variations of some cases: split points and small limits.
REQUEST_VARIANTS = [
    ("pipelined", (1, 5, 17), 0),
    ("chunked-extensions-trailers", (3, 2), 0),
    ("chunked-extensions-trailers", (), 0b1000),  # body limit 5
    ("post-length", (), 0b0100),  # body limit 0
    ("get", (), 0b0001),  # head limit 24
    ("whitespace-values", (7,), 0b0010),  # head limit 100
    ("chunked-extensions-trailers", (4,), 0b0011),  # head limit 400 (trailers too)
    ("smuggle-chunk-ext-lf", (2, 1), 0),
]

RESPONSES = {
    "length": (0, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"),
    "chunked-sse": (0, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n"
                    b"e\r\ndata: {\"a\":1}\n\n\r\ne;x=y\r\ndata: [DONE]\n\n\r\n0\r\n\r\n"),
    "until-close": (0, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end"),
    "http10-partial": (0, b"HTTP/1.0 200 OK\r\n\r\npartial"),
    "two-responses": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
    "no-body-statuses": (0, b"HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n"
                         b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"),
    "interim": (0, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n"
                b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk"),
    "switching": (0, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"),
    "no-reason": (0, b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\nHTTP/1.1 599 \r\nContent-Length: 0\r\n\r\n"),
    "reason-with-comma": (0, b"HTTP/1.1 404 Nope, not here\r\nContent-Length: 0\r\n\r\n"),
    "head-answer": (0b1, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk"),
    "head-then-chunked": (0b1, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nk\r\n0\r\n\r\n"),
    "stray-crlf": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk\r\n"),
    "mid-head": (0, b"HTTP/1.1 200 OK\r\nContent-"),
    "mid-body": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc"),
    "mid-chunk": (0, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"),
    "bad-status": (0, b"HTTP/1.1 20 OK\r\n\r\n"),
    "status-not-numeric": (0, b"HTTP/1.1 2x0 OK\r\n\r\n"),
    "control-in-reason": (0, b"HTTP/1.1 200 O\x01K\r\n\r\n"),
    "conflicting-framing": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
    "invalid-chunk": (0, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n"),
    "trailers": (0, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: 1\r\n\r\n"),
    "bare-lf": (0, b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
}

# (name, gaps, flags): bit 2 of the flags reports the close after the last byte.
RESPONSE_VARIANTS = [
    ("until-close", (), 0b100),
    ("http10-partial", (3,), 0b100),
    ("mid-head", (), 0b100),
    ("mid-body", (2, 9), 0b100),
    ("mid-chunk", (), 0b100),
    ("stray-crlf", (), 0b100),
    ("chunked-sse", (1, 4, 11), 0),
    ("interim", (), 0b001),  # head limit 24
    ("trailers", (5,), 0b010),  # head limit 100
]

DEEP = 600
JSON_DOCUMENTS = {
    "chat": b'{"model":"tiny-a","messages":[{"role":"user","content":"Hello"}],"max_tokens":16,"stream":true}',
    "spacing": b' \r\n\t{ "model" : "m" , "stream" : false , "x" : [ 1 , 2 ] } \n',
    "bom": b'\xef\xbb\xbf{"model":"m"}',
    "duplicate-model": b'{"model":"a","x":{"model":"inner"},"model":"b"}',
    "duplicate-model-not-string": b'{"model":"a","model":1}',
    "escaped-model-key": b'{"mod\\u0065l":"x\\ny\\u00e9\\ud83d\\ude00","str\\u0065am":true}',
    "lone-surrogate": b'{"model":"\\ud800x"}',
    "lone-low-surrogate": b'{"model":"\\udc00"}',
    "invalid-utf8": b'{"model":"\xff\xfe"}',
    "overlong-utf8": b'{"model":"\xc0\xaf"}',
    "surrogate-utf8": b'{"model":"\xed\xa0\x80"}',
    "truncated-utf8": b'{"model":"\xe6\x97"}',
    "nul-raw": b'{"model":"a\x00b"}',
    "nul-escaped": b'{"model":"a\\u0000b"}',
    "control-raw": b'{"a":"\x01"}',
    "numbers": b'{"a":[0,-0,1.5,-1e10,1E+2,2e-3,123456789012345678901234567890,1e400]}',
    "bad-numbers": b'{"a":[01]}',
    "bad-number-dot": b'{"a":1.}',
    "bad-number-exponent": b'{"a":1e}',
    "literals": b'{"a":[true,false,null],"stream":null}',
    "keep-alive": b'{"model":"m","keep_alive":"5m","x":{"keep_alive":0},"keep_alive":[-1]}',
    "keep-alive-escaped": b'{"keep\\u005falive":-1.5e1,"keep_alive":null}',
    "bad-literal": b'{"a":tru}',
    "trailing-comma": b'{"a":1,}',
    "trailing-comma-array": b'{"a":[1,]}',
    "missing-colon": b'{"a" 1}',
    "single-quotes": b"{'a':1}",
    "comment": b'{"a":1 /* no */}',
    "after-document": b'{"a":1} x',
    "two-documents": b'{"a":1}{"b":2}',
    "top-level-array": b'[{"model":"m"},1,"x",[]]',
    "top-level-string": b'"model"',
    "top-level-number": b"42",
    "empty-object": b"{}",
    "empty": b"",
    "whitespace-only": b" \n",
    "deep-array-ok": b"[" * 500 + b"]" * 500,
    "deep-array-limit": b"[" * 512 + b"]" * 512,
    "deep-array-over": b"[" * 513 + b"]" * 513,
    "deep-object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "deep-unclosed": b"[" * DEEP,
    "escapes": b'{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041"}',
    "bad-escape": b'{"a":"\\x"}',
    "short-unicode-escape": b'{"a":"\\u12"}',
    "unterminated": b'{"a":"abc',
    "nested-model": b'{"messages":[{"model":"no"}],"model":"yes"}',
    "image": b'{"model":"v","messages":[{"role":"user","content":[{"type":"text","text":"what?"},'
    b'{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}',
}

CHAT = b'{"model":"tiny-a","messages":[{"role":"user","content":"/sys be terse\\nHello"}],"stream":false}'
PATCHES = {
    "set-model": (b'{"model":"tiny-b"}', CHAT),
    "remove-stream": (b'{"stream":null}', CHAT),
    "add-members": (b'{"temperature":0.2,"response_format":{"type":"json_object"}}', CHAT),
    "remove-all": (b'{"model":null,"messages":null,"stream":null}', CHAT),
    "remove-all-add": (b'{"model":null,"messages":null,"stream":null,"x":1}', CHAT),
    "remove-first-and-last": (b'{"model":null,"stream":null}', CHAT),
    "duplicates-in-document": (b'{"model":"c"}', b'{"model":"a","x":1,"model":"b"}'),
    "duplicates-removed": (b'{"model":null}', b'{"model":"a","x":1,"model":"b"}'),
    "duplicates-in-patch": (b'{"model":"a","model":null,"model":"z"}', CHAT),
    "escaped-names": (b'{"mod\\u0065l":"e"}', b'{"model" : "a" , "n\\u0061me":1 }'),
    "empty-document": (b'{"model":"m"}', b"{}"),
    "empty-document-spaced": (b'{"a":1,"b":null}', b"{ \n }"),
    "spacing-kept": (b'{"b":[1, 2]}', b'{ "a" : 1 ,\n "b" : 2 ,\t"c":3.0e0 }'),
    "last-user-text-suffix": (b'{"$last_user_text":"Hello"}', CHAT),
    "last-user-text-new": (b'{"$last_user_text":"Bonjour \\u00e9"}', CHAT),
    "last-user-text-escaped": (b'{"$last_user_text":"b"}', b'{"messages":[{"role":"user","content":"/x\\u0020\\u0062"}]}'),
    "last-user-text-not-string": (b'{"$last_user_text":1}', CHAT),
    "last-user-text-parts": (b'{"$last_user_text":"what?"}',
                             b'{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}},'
                             b'{"type":"text","text":"/look what?"}]}]}'),
    "last-user-text-several": (b'{"$last_user_text":"two"}',
                               b'{"messages":[{"role":"user","content":"one"},{"role":"assistant","content":"a"},'
                               b'{"role":"user","content":"/c two"},{"role":"tool","content":"t"}]}'),
    "last-user-text-no-messages": (b'{"$last_user_text":"x"}', b'{"model":"m"}'),
    "system-prompt-insert": (b'{"$system_prompt":"Be terse."}', CHAT),
    "system-prompt-replace": (b'{"$system_prompt":"New."}',
                              b'{"messages":[{"role":"system","content":"Old."},{"role":"user","content":"hi"}]}'),
    "system-prompt-empty-messages": (b'{"$system_prompt":"S"}', b'{"messages":[]}'),
    "system-prompt-no-content": (b'{"$system_prompt":"S"}', b'{"messages":[{"role":"system"}]}'),
    "system-and-text": (b'{"$system_prompt":"S","$last_user_text":"Hello","model":"b"}', CHAT),
    "patch-not-object": (b'["model"]', CHAT),
    "patch-invalid": (b'{"model":', CHAT),
    "document-invalid": (b'{"model":"m"}', b'{"model":"a",}'),
    "document-array": (b'{"model":"m"}', b'[1,2]'),
    "lone-surrogate-name": (b'{"\\ud800":1}', b'{"\\udbff":2,"\\ufffd":3}'),
    "invalid-utf8-document": (b'{"a":1}', b'{"b":"\xff"}'),
    "last-user-text-lone-surrogate": (b'{"$last_user_text":"\\ufffdabc"}',
                                      b'{"messages":[{"role":"user","content":"/c \\ud800abc"}]}'),
    "no-separator-chat": (None, CHAT),
}

MODEL_PART = b'Content-Disposition: form-data; name="model"\r\n\r\n'
FORMS = {  # name: (settings byte, boundary or None for the default XyZ, body)
    "model-first": (0, None, b"--XyZ\r\n" + MODEL_PART + b"tiny-a\r\n--XyZ--\r\n"),
    "model-after-file": (0, b"----WebKitFormBoundary7MA4YWxkTrZu0gW",
                         b"preamble\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
                         b'Content-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n'
                         b"RIFF\x00\xff\r\n------WebKitFormBoundary7MA4YWxkTrZu0g\r\n"
                         b"\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW \t\r\n"
                         + MODEL_PART + b"whisper\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--"),
    "quoted-names": (0, None, b'--XyZ\r\nContent-Disposition: form-data; name="a\\"b;c"\r\n\r\nx\r\n--XyZ\r\n'
                     b"content-disposition: FORM-DATA ; NAME=model ; filename=\"m\"\r\n\r\nq\r\n--XyZ--"),
    "value-near-delimiter": (0, None, b"--XyZ\r\n" + MODEL_PART + b"a\rb\nc\r\n--XyY\r\n--Xy\r\n--XyZ--"),
    "two-models": (0, None, b"--XyZ\r\n" + MODEL_PART + b"first\r\n--XyZ\r\n" + MODEL_PART + b"second\r\n--XyZ--"),
    "no-model": (0, None, b'--XyZ\r\nContent-Disposition: form-data; name="f"\r\n\r\nd\r\n--XyZ--\r\nepilogue'),
    "truncated": (0, None, b"--XyZ\r\n" + MODEL_PART + b"tin"),
    "lf-only": (0, None, b'--XyZ\nContent-Disposition: form-data; name="model"\n\nx\n--XyZ--'),
    "folded": (0, None, b'--XyZ\r\nContent-Disposition: form-data;\r\n name="model"\r\n\r\nx\r\n--XyZ--'),
    "unterminated-quote": (0, None, b'--XyZ\r\nContent-Disposition: form-data; name="model\r\n\r\nx'),
    "value-limit": (0b1100, None, b"--XyZ\r\n" + MODEL_PART + b"x" * 120 + b"\r\n--XyZ--"),
    "header-limit": (0b0001, None, b"--XyZ\r\n" + MODEL_PART + b"m\r\n--XyZ--"),
}


def write(target, name, data):
    folder = ROOT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    for name, message in REQUESTS.items():
        write("RequestParser", name, split_header() + message)
    for name, gaps, flags in REQUEST_VARIANTS:
        write("RequestParser", f"{name}-split{len(gaps)}-flags{flags}", split_header(gaps, flags) + REQUESTS[name])
    for name, (head_mask, message) in RESPONSES.items():
        write("ResponseParser", name, split_header() + bytes([head_mask]) + message)
    for name, gaps, flags in RESPONSE_VARIANTS:
        head_mask, message = RESPONSES[name]
        write("ResponseParser", f"{name}-split{len(gaps)}-flags{flags}",
              split_header(gaps, flags) + bytes([head_mask]) + message)
    for name, document in JSON_DOCUMENTS.items():
        if document:
            write("JSONScanner", name, document)
    for name, (patch, document) in PATCHES.items():
        write("RequestPatch", name, document if patch is None else patch + b"\x00" + document)
    for name, (settings, boundary, body) in FORMS.items():
        write("Multipart", name, split_header() + bytes([settings]) + (body if boundary is None else boundary + b"\x00" + body))
    for name, gaps in (("model-after-file", (1, 3, 7)), ("quoted-names", (2,))):
        settings, boundary, body = FORMS[name]
        write("Multipart", f"{name}-split{len(gaps)}",
              split_header(gaps) + bytes([settings]) + (body if boundary is None else boundary + b"\x00" + body))


if __name__ == "__main__":
    main()
