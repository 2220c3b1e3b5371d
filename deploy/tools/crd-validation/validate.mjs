// Reads a JSON array of Kubernetes objects on stdin; validates each custom resource against its operator's
// CRD schema (compiled validators from @kubernetes-models). Prints a JSON array of {kind, name, error}; an
// object of a kind with no schema here is an error too, so nothing passes unvalidated.
import { readFileSync } from "node:fs";

const MODELS = {
  "kafka.strimzi.io/v1": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const objects = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const object of objects) {
  const kind = object.kind;
  const name = object.metadata?.name;
  const module = MODELS[object.apiVersion];
  if (!module) {
    results.push({ kind, name, error: `no schema for apiVersion ${object.apiVersion}` });
    continue;
  }
  let Model;
  try {
    Model = (await import(`${module}/${kind}`))[kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    results.push({ kind, name, error: `no schema for ${object.apiVersion} ${kind}` });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ kind, name, error: null });
  } catch (exc) {
    results.push({ kind, name, error: String(exc.message ?? exc) });
  }
}
process.stdout.write(JSON.stringify(results));
