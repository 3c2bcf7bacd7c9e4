// Text from GitHub (logins, names, titles) reaches the terminal: control characters in it
// could move the cursor, recolour or retitle the terminal. They are shown escaped instead.

// C0 controls but tab and newline, DEL, and C1 controls (ESC and CSI among them).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
