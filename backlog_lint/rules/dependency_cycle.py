"""BL306 dependency-cycle."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.workspace.index import Edge, WorkspaceIndex, checked_keys, whole_run, workspace_index
from backlog_lint.workspace.naming import id_label


@rule("BL306", "dependency-cycle", severity=Severity.ERROR)
def dependency_cycle(ctx: Context) -> Iterator[Diagnostic]:
    """Items depend on each other in a circle.

    ## What it does
    Builds the dependency graph of the whole project from Dependencies fields
    (and Unlocks/Blocks fields read the other way round) and reports each cycle
    once, naming every item on it, at the reference that closes the circle.
    Where cycles overlap, one shortest cycle is shown and the number of other
    items caught with it is given.

    ## Why is this bad?
    No item on a cycle can ever start: each waits for another. Usually one of the
    references is stale or points the wrong way.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Dependencies:** TODO-2

    ### TODO-2: Add a --watch flag
    - **Dependencies:** TODO-1
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output

    ### TODO-2: Add a --watch flag
    - **Dependencies:** TODO-1
    ```

    ## Fix
    Not fixable: remove or reverse the reference that is wrong.
    """
    index = workspace_index(ctx)
    out = index.dependents
    if whole_run(ctx):
        # an item no edge leaves is on no cycle: as a root it would only make a component of its own
        roots = [key for key in index.items if key in out]
        mine = None
    else:
        # a cycle through a checked item lies in the part of the graph reachable from the checked items
        mine = checked_keys(ctx)
        roots = sorted(mine, key=index.order.__getitem__)
    for component in _components(roots, out):
        if len(component) < 2 or (mine is not None and mine.isdisjoint(component)):
            continue
        cycle = _cycle(index, component, out)
        if not cycle:
            continue
        closing = cycle[-1]
        # in "depends on" order: each item depends on the next one
        chain = [cycle[0].dst] + [e.src for e in cycle]
        names = " -> ".join(id_label(index.items[k]) for k in chain)
        related = [(e.doc.path, e.span) for e in cycle[:-1]]
        for key in chain[:-1]:  # every item on the cycle, so a check of any of their files shows it
            item = index.items[key]
            related.append((index.doc_of[key].path, item.id_span or item.title_span))
        more = len(component) - len(cycle)
        tangle = f"; {more} more items are caught in cycles with these" if more > 0 else ""
        yield ctx.report(closing.doc, closing.span,
                         f"dependency cycle {names} (each item depends on the next): none of these items can "
                         f"start{tangle}; remove or reverse one of the dependencies",
                         related=tuple(related))


def _cycle(index: WorkspaceIndex, component: set[int], out: dict[int, list[Edge]]) -> list[Edge]:
    """A shortest cycle through the component's first item (by path and line), in "depends on" order.

    Edge i says cycle[i].dst depends on cycle[i].src; the first edge's dst is that item, and the
    last edge (the one reported) is the dependency on it that closes the circle.
    """

    def position(key: int) -> tuple[str, int]:
        item = index.items[key]
        return index.doc_of[key].path, item.span.line

    start = min(component, key=position)
    # walk the reversed graph ("depends on") from start until we are back at it
    back: dict[int, list[Edge]] = {}
    for src in component:
        for e in out.get(src, ()):
            if e.dst in component:
                back.setdefault(e.dst, []).append(e)
    prev: dict[int, Edge] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for e in back.get(node, ()):
            if e.src == start:
                path = [e]
                cur = node
                while cur != start:
                    step = prev[cur]
                    path.append(step)
                    cur = step.dst
                # collected from the closing edge back to start: reverse into "depends on" order
                path.reverse()
                return path
            if e.src not in prev and e.src != start:
                prev[e.src] = e
                queue.append(e.src)
    return []


def _components(nodes: list[int], out: dict[int, list[Edge]]) -> Iterator[set[int]]:
    """Strongly connected components (Tarjan, iterative)."""
    counter = 0
    num: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    for root in nodes:
        if root in num:
            continue
        work = [(root, 0)]
        num[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, i = work[-1]
            edges = out.get(node, ())
            if i < len(edges):
                work[-1] = (node, i + 1)
                nxt = edges[i].dst
                if nxt not in num:
                    num[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], num[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == num[node]:
                comp = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.add(w)
                    if w == node:
                        break
                yield comp
