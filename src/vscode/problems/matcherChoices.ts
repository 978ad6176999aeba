// The problem matchers Add Job offers, and the one a command line suggests. VS Code ships these
// matchers (its built-in TypeScript, ESLint, C/C++, Go and MSBuild support contribute them); a job
// names one and VS Code's own engine does the matching when the job ends (problemReplay.ts). The
// step is offered only when the command line runs one of these tools (or a package script that
// builds or lints, with none preselected), or the last job added with Add Job had a matcher, so Add
// Job stays as quick as before for everything else.

export interface MatcherChoice {
  name: string;
  /** What it reads, for the quick pick. */
  description: string;
  /** A command line that runs this tool. */
  runs: RegExp;
}

export const COMMON_MATCHERS: readonly MatcherChoice[] = [
  { name: '$tsc', description: 'TypeScript compiler (tsc)', runs: /(^|[\s/;&|(])tsc(\s|$)/ },
  { name: '$eslint-stylish', description: 'ESLint, stylish output (the default)', runs: /(^|[\s/;&|(])eslint(\s|$)/ },
  { name: '$eslint-compact', description: 'ESLint, compact output', runs: /(^|[\s/;&|(])eslint\s.*(-f|--format)[\s=]compact\b/ },
  { name: '$gcc', description: 'GCC / Clang / make', runs: /(^|[\s/;&|(])(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|make|cmake|ninja)(\s|$)/ },
  { name: '$go', description: 'Go (go build, go vet, go test)', runs: /(^|[\s/;&|(])go\s+(build|vet|test|install|run)\b/ },
  { name: '$msCompile', description: 'MSBuild / dotnet / cl.exe', runs: /(^|[\s/;&|(])(msbuild|dotnet\s+build|cl(\.exe)?)(\s|$)/i },
];

/** The matcher a command line suggests: the most specific of the common ones that fits (ESLint compact over stylish). */
export function suggestedMatcher(command: string): string | undefined {
  const fits = COMMON_MATCHERS.filter((m) => m.runs.test(command));
  return (fits.find((m) => m.name === '$eslint-compact') ?? fits[0])?.name;
}

/** A package script that builds or lints: it may print a tool's errors, which one is not known. */
const BUILD_SCRIPT = /(^|[\s;&|(])(npm|yarn|pnpm|bun)\s+(run\s+)?(build|compile|lint|typecheck|check)\b/;

/** Whether Add Job offers the matcher step for this command line (whatever it suggests). */
export function mayUseMatcher(command: string): boolean {
  return suggestedMatcher(command) !== undefined || BUILD_SCRIPT.test(command);
}
