// The text folding search's design fixes, for the browser tests' own scan
// of what a query should find.

/** Full-width ASCII forms to half-width, Latin capitals to small letters,
 * the ideographic space to a space. */
export const fold = (text) =>
  text.replace(/[\uff01-\uff5e\u3000A-Z]/g, (c) => {
    const n = c.charCodeAt(0);
    if (n === 0x3000) return " ";
    const half = n >= 0xff01 ? String.fromCharCode(n - 0xfee0) : c;
    return half.toLowerCase();
  });
