/// The metric names and histogram buckets of API §3.3.
public enum MetricNames {
    public static let info = "trellis_info"
    public static let uptime = "trellis_uptime_seconds"
    public static let dagsTotal = "trellis_dags_total"
    public static let running = "trellis_dag_runs_currently_running"
    public static let queued = "trellis_dag_runs_queued_total"
    public static let runsTotal = "trellis_dag_runs_total"
    public static let runsTotalHelp = "Runs created today (UTC) by status; resets at midnight."
    public static let schedulerRunning = "trellis_scheduler_running"
    public static let runningByDAG = "trellis_dag_runs_currently_running_by_dag"
    public static let queuedByDAG = "trellis_dag_runs_queued_by_dag"
    public static let runsTotalByDAG = "trellis_dag_runs_total_by_dag"
    public static let runsTotalByDAGHelp = "Runs created today (UTC) per DAG by status."
    public static let duration = "trellis_dag_run_duration_seconds"
    public static let queueWait = "trellis_queue_wait_seconds"
    public static let durationBuckets: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600]
    public static let queueWaitBuckets: [Double] = [1, 5, 10, 30, 60, 120, 300, 600]
}
