/**
 * The registry of views: for each kind, its toolbar, its detail panel and how the
 * accessibility mirror names it. The names and titles of the views come from the
 * engine (`Viewer.views()`), which lists them once.
 */
import { GraphToolbar } from './graph';
import { GridToolbar } from './grid';
import { TimelineToolbar } from './timeline';
import type { IViewChrome, ViewKind } from './toolbar';
import { TreeToolbar } from './tree';

export const VIEWS: Record<ViewKind, IViewChrome> = {
  table: {
    toolbar: (parent, context) => new GridToolbar(parent, context),
    mirror: { role: 'grid', label: 'Result rows' }
  },
  'process-tree': {
    toolbar: (parent, context) => new TreeToolbar(parent, context),
    chain: { label: 'Ancestors', separator: '›', self: true },
    mirror: { role: 'treegrid', label: 'Processes' }
  },
  timeline: {
    toolbar: (parent, context) => new TimelineToolbar(parent, context),
    chain: null,
    mirror: { role: 'grid', label: 'Timeline lanes' }
  },
  graph: {
    toolbar: (parent, context) => new GraphToolbar(parent, context),
    chain: { label: 'Linked', separator: '·', self: false },
    mirror: { role: 'grid', label: 'Entities' }
  }
};
