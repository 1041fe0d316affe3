'use strict';
// Node: recordToFile, the record function that appends traffic lines (JSONL) to a file,
// for `createTracesSampler(policy, { record: recordToFile('roots.jsonl') })`.
const fs = require('node:fs');

/**
 * A `record` function for `createTracesSampler` that appends each line to `path`:
 * `recordRate` (default 1) is the share of roots recorded (every 1/recordRate-th root, as
 * the sampler counts), `maxBytes` (default 64 MiB) the size past which nothing more is
 * written (the file's size when opened counts). `record.close()` closes the file.
 */
function recordToFile(path, { recordRate = 1, maxBytes = 64 * 1024 * 1024 } = {}) {
  const fd = fs.openSync(path, 'a');
  let size = fs.fstatSync(fd).size;
  let open = true;
  function record(line) {
    if (!open) return;
    const text = line + '\n';
    const bytes = Buffer.byteLength(text);
    if (size + bytes > maxBytes) return;
    fs.writeSync(fd, text);
    size += bytes;
  }
  record.recordRate = recordRate;
  record.close = () => {
    if (open) fs.closeSync(fd);
    open = false;
  };
  return record;
}

module.exports = { recordToFile };
