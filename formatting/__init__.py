"""Pure presentation helpers shared by every output: numbers in the reader's language, the palette, Markdown."""
