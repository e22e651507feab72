// A determinate progress bar fed by main's 'progress' events. Drawn with the native <progress> element (its
// value is an attribute, so no inline style is needed under the CSP) and named and valued for screen readers.
import { useEffect, useState } from 'react';
import type { Progress } from '../../../shared/contract';
import { onEvent } from '../api';

/** The latest progress main reported for one operation (null until the first report). */
export function useProgress(operationId: string | null): Progress | null {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    setProgress(null);
    if (!operationId) return;
    return onEvent('progress', (event) => {
      if (event.operationId === operationId) setProgress(event);
    });
  }, [operationId]);
  return progress;
}

export function percentOf(progress: Progress | null): number {
  if (!progress || !(progress.total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.round((progress.done / progress.total) * 100)));
}

export function ProgressBar({ label, percent, detail, id }: { label: string; percent: number; detail?: string; id?: string }) {
  return (
    <div className="progress" id={id}>
      <div className="progress-head">
        <span className="progress-label">{label}</span>
        <span className="progress-percent" aria-hidden="true">
          {percent}%
        </span>
      </div>
      <progress
        className="progress-bar"
        max={100}
        value={percent}
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={detail ? `${percent}%: ${detail}` : `${percent}%`}
      />
      {detail ? <p className="progress-detail">{detail}</p> : null}
    </div>
  );
}
