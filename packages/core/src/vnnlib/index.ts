/**
 * VNNLIB (the VNN-COMP property format): parsing with line/column errors, writing, the result
 * format (`unsat` / `sat` with witness / `timeout` / `unknown`) and instances CSV files.
 */
export { parseSExprs, VnnlibSyntaxError, type SExpr, type Position } from './sexpr.js';
export { parseVnnlib, MAX_VNNLIB_CASES, type ParseVnnlibOptions } from './parse.js';
export { writeVnnlib, type WriteVnnlibOptions } from './write.js';
export { robustnessProperty, type VnnlibProperty, type VnnlibCase } from './property.js';
export { formatVnnlibResult, parseVnnlibResult, type VnnlibResult, type VnnlibVerdict } from './result.js';
export { parseInstancesCsv, type VnnlibInstance } from './instances.js';
