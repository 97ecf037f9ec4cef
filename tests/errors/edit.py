#!/usr/bin/env python3
"""Derives bad inputs for the catalogue of bad inputs (docs/errors.md) from good fixture files.
Standard library only; every edit works in place.

  edit.py json FILE set KEY JSON        set a top-level key (JSON value), e.g. set r '"four"'
  edit.py json FILE del KEY             remove a top-level key
  edit.py st FILE drop SUBSTR           remove the first tensor whose name contains SUBSTR, bytes too
  edit.py st FILE dtype SUBSTR DTYPE    relabel that tensor's dtype (header only)
  edit.py st FILE grow SUBSTR           add 1 to that tensor's first dimension (header only)
"""
import json
import struct
import sys


def read_st(path):
    data = open(path, 'rb').read()
    n = struct.unpack('<Q', data[:8])[0]
    return json.loads(data[8:8 + n]), data[8 + n:]


def write_st(path, header, body):
    raw = json.dumps(header, separators=(',', ':')).encode()
    raw += b' ' * (-len(raw) % 8)
    open(path, 'wb').write(struct.pack('<Q', len(raw)) + raw + body)


def pick(header, substr):
    names = sorted((k for k in header if k != '__metadata__'), key=lambda k: header[k]['data_offsets'][0])
    for k in names:
        if substr in k:
            return k
    sys.exit(f'edit.py: no tensor matches {substr!r}')


def main(argv):
    kind, path, op = argv[1], argv[2], argv[3]
    if kind == 'json':
        obj = json.load(open(path))
        if op == 'set':
            obj[argv[4]] = json.loads(argv[5])
        elif op == 'del':
            del obj[argv[4]]
        json.dump(obj, open(path, 'w'), indent=2)
        return
    header, body = read_st(path)
    name = pick(header, argv[4])
    if op == 'drop':
        begin, end = header.pop(name)['data_offsets']
        body = body[:begin] + body[end:]
        for k, v in header.items():
            if k != '__metadata__' and v['data_offsets'][0] >= end:
                v['data_offsets'] = [v['data_offsets'][0] - (end - begin), v['data_offsets'][1] - (end - begin)]
    elif op == 'dtype':
        header[name]['dtype'] = argv[5]
    elif op == 'grow':
        header[name]['shape'][0] += 1
    write_st(path, header, body)


if __name__ == '__main__':
    main(sys.argv)
