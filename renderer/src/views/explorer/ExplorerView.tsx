// The Explorer view: stored events (filter, virtualized table, detail, payment timeline),
// the quarantine, and incident reports. Sub-tabs live in the hash: #/explorer,
// #/explorer/quarantine, #/explorer/report.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { EventFilter } from '../../../../shared/explorer';
import { TabList } from '../../components/TabList';
import { useApp } from '../../store/appStore';
import { EventsTab } from './EventsTab';
import { filterOfExplorerHash, reportWindowOf } from './explorerModel';
import { QuarantineTab } from './QuarantineTab';
import { ReportTab, type ReportSeed } from './ReportTab';
import './explorer.css';

const TABS = [
  { id: 'events', label: 'Events' },
  { id: 'quarantine', label: 'Quarantine' },
  { id: 'report', label: 'Report' },
] as const;
type Tab = (typeof TABS)[number]['id'];

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** `#/explorer/report?alert=KEY` opens the report prefilled from that alert (a link other views can give). */
export function alertKeyOf(hash: string): string | null {
  const q = hash.indexOf('?');
  return q < 0 ? null : new URLSearchParams(hash.slice(q + 1)).get('alert');
}

function tabOf(hash: string): Tab {
  const sub = hash.replace(/^#\/?/, '').split(/[/?]/)[1] ?? '';
  return (TABS.find((t) => t.id === sub)?.id ?? 'events') as Tab;
}

export function Explorer() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash, () => '');
  const tab = tabOf(hash);
  const clock = useApp((s) => s.snapshot?.clock ?? null);
  const [seed, setSeed] = useState<ReportSeed | null>(null);
  const linkedAlert = alertKeyOf(hash);
  useEffect(() => {
    if (linkedAlert) setSeed({ from: 0, to: 0, alertKey: linkedAlert });
  }, [linkedAlert]);
  const select = (id: Tab) => {
    window.location.hash = id === 'events' ? '#/explorer' : `#/explorer/${id}`;
  };
  const exportFilter = (filter: EventFilter) => {
    setSeed({ ...reportWindowOf(filter, clock ?? Date.now()), alertKey: null, filter });
    select('report');
  };
  return (
    <div className="view view-explorer">
      <div className="view-head">
        <h1>Explorer</h1>
      </div>
      <TabList label="Explorer sections" className="explorer-tabs" idPrefix="explorer" tabs={TABS} selected={tab} onSelect={select} />
      <div role="tabpanel" id="explorer-tabpanel" aria-labelledby={`explorer-tab-${tab}`}>
        {tab === 'events' ? <EventsTab onExport={exportFilter} openPayment={null} linkedFilter={filterOfExplorerHash(hash)} /> : null}
        {tab === 'quarantine' ? <QuarantineTab /> : null}
        {tab === 'report' ? <ReportTab seed={seed} /> : null}
      </div>
    </div>
  );
}
