// make sandbox runs cdktf with NODE_OPTIONS="--require <this file>" when its output is not a
// terminal: cdktf's output (Ink) wraps at the terminal's width, which for a pipe is 80
// columns, and so broke the login URLs mid-word. A pipe has no width: give it a wide one.
"use strict";
if (!process.stdout.isTTY) {
  process.stdout.columns = 4000;
}
