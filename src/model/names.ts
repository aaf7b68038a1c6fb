// Function names as pprof shortens them for display: google/pprof's
// graph.ShortenFunctionName, ported regular expression for regular
// expression (internal/graph/graph.go; Go's copy is vendored under
// $GOROOT/src/cmd/vendor/github.com/google/pprof). The full name stays in
// the JSON and SARIF's fullyQualifiedName; terminals, charts and labels show
// this one:
//   example.com/svc/internal/api.(*Server).formatLines -> api.(*Server).formatLines
//   github.com/x/y/v2/z.F                             -> z.F
//   java.util.HashMap.resize / std::vector<int>::push_back as pprof shows them.

// Removes package name and method arguments for Java method names.
const javaRegExp = /^(?:[a-z]\w*\.)*([A-Z][\w$]*\.(?:<init>|[a-z][\w$]*(?:\$\d+)?))(?:(?:\()|$)/;
// Removes package name and method arguments for Go function names.
const goRegExp = /^(?:[\w\-.]+\/)+([^.]+\..+)/;
// Removes potential module versions in a package path.
const goVerRegExp = /^(.*?)\/v(?:[2-9]|[1-9][0-9]+)([./].*)$/;
// Strips C++ namespace prefix from a C++ function / method name.
const cppRegExp = /^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)/;
const cppAnonymousPrefixRegExp = /^\(anonymous namespace\)::/;

/** pprof's short display name for a function (`api.(*Server).formatLines`). */
export function shortFunctionName(name: string): string {
  // Go's ReplaceAllString on an anchored pattern replaces at most once.
  let f = name.replace(cppAnonymousPrefixRegExp, '');
  f = f.replace(goVerRegExp, '$1$2');
  for (const re of [goRegExp, javaRegExp, cppRegExp]) {
    const m = re.exec(f);
    if (m && m.length >= 2) return m.slice(1).join('');
  }
  return f;
}
