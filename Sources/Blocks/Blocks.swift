// Blocks
