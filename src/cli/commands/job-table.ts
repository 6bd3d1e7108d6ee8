import {
  type JobSummary,
  jobStateToJSON,
  workflowStateToJSON,
  workflowTypeToJSON,
} from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { enumName, withoutPrefix } from "../enum-name.js";
import { renderTable } from "../table.js";

const jobState = (s: Parameters<typeof jobStateToJSON>[0]) => enumName(jobStateToJSON, "JOB_STATE_", s);

/** Jobs as a table: id, name, owner, state and goal, instances running of all, version, workflow. */
export function jobsTable(jobs: readonly JobSummary[]): string {
  if (jobs.length === 0) return "No jobs.\n";
  return renderTable(
    ["ID", "NAME", "OWNER", "STATE", "GOAL", "RUNNING", "VERSION", "WORKFLOW", "CREATED"],
    jobs.map((j) => {
      const s = j.status;
      const running = withoutPrefix(s?.podStats ?? {}, "POD_STATE_").RUNNING ?? 0;
      const w = s?.workflowStatus;
      const workflow = w
        ? `${enumName(workflowTypeToJSON, "WORKFLOW_TYPE_", w.type)} ${enumName(workflowStateToJSON, "WORKFLOW_STATE_", w.state)}`
        : "-";
      return [
        j.jobId?.value ?? "",
        j.name,
        j.owner || "-",
        s ? jobState(s.state) : "-",
        s ? jobState(s.desiredState) : "-",
        `${running}/${j.instanceCount}`,
        s?.version?.value ?? "-",
        workflow,
        s?.creationTime || "-",
      ];
    }),
  );
}
