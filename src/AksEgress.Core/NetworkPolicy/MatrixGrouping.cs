namespace AksEgress.NetworkPolicy;

/// <summary>What one row of the connectivity matrix stands for.</summary>
public enum MatrixGrouping
{
    /// <summary>A pair of workloads (Deployment, StatefulSet, DaemonSet, Job, or a bare pod): the default.</summary>
    Workload,
    /// <summary>A pair of classes of pods the policies cannot tell apart.</summary>
    Class,
    /// <summary>A pair of pods.</summary>
    Pod,
}
