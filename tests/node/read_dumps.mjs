// Reads osce-kg dumps the way a JavaScript consumer would, with no network:
// N3.js for Turtle, N-Triples, N-Quads and TriG; jsonld.js for JSON-LD (a
// document loader that refuses every URL, so the embedded context must be
// enough). Prints one JSON line per file:
//   {"file": ..., "reader": ..., "quads": N, "distinct": N, "subjects": N}
// Exit status 1 when a file cannot be read.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Parser } from "n3";
import jsonld from "jsonld";

const N3_FORMATS = { ttl: "text/turtle", nt: "application/n-triples", nq: "application/n-quads", trig: "application/trig" };

function termKey(term) {
  if (term.termType === "Literal") return `"${term.value}"@${term.language}^^${term.datatype.value}`;
  return `${term.termType}:${term.value}`;
}

function summary(file, reader, quads) {
  const keys = new Set();
  const subjects = new Set();
  for (const q of quads) {
    keys.add([q.subject, q.predicate, q.object, q.graph].map(termKey).join(" "));
    subjects.add(termKey(q.subject));
  }
  return { file, reader, quads: quads.length, distinct: keys.size, subjects: subjects.size };
}

async function offlineLoader(url) {
  throw new Error(`network access refused: ${url}`);
}

async function read(file) {
  let data = readFileSync(file);
  let name = file;
  if (name.endsWith(".gz")) {
    data = gunzipSync(data);
    name = name.slice(0, -3);
  }
  const ext = name.slice(name.lastIndexOf(".") + 1);
  const text = data.toString("utf-8");
  if (ext === "jsonld") {
    const dataset = await jsonld.toRDF(JSON.parse(text), { documentLoader: offlineLoader, safe: true });
    const quads = dataset.map((q) => ({
      subject: q.subject, predicate: q.predicate, object: q.object,
      graph: q.graph.termType === "DefaultGraph" ? { termType: "DefaultGraph", value: "" } : q.graph,
    }));
    return summary(file, "jsonld.js", quads);
  }
  if (!(ext in N3_FORMATS)) throw new Error(`unknown extension .${ext}`);
  const parser = new Parser({ format: N3_FORMATS[ext] });
  return summary(file, "N3.js", parser.parse(text));
}

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    console.log(JSON.stringify(await read(file)));
  } catch (error) {
    failed = true;
    console.log(JSON.stringify({ file, error: String(error && error.message ? error.message : error) }));
  }
}
process.exit(failed ? 1 : 0);
