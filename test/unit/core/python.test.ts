import { strict as assert } from 'node:assert';
import { keyword, positional, strList, strValue } from '../../../src/core/parsing/expr';
import { extractPython } from '../../../src/core/parsing/python';

const SOURCE = `"""Invoicing.

DEPRECATED: use money_service instead.
"""
# leading comment
from __future__ import annotations
import warnings, os.path as osp
from ..invoicing import service as svc, other
from . import sibling
from typing import Union

warnings.warn("invoicing.service is deprecated", DeprecationWarning, stacklevel=2)

revision = "1975ea83b712"
down_revision: Union[str, None] = (
    "ae1027a6acf",
    "27c6a30d7c24",
)
branch_labels = (cli.EXPAND_BRANCH,)
depends_on = None
a, b = 1, 2.5
router = APIRouter(prefix="/billing", tags=["billing"])

try:
    import redis
except ImportError:  # optional
    redis = None


@router.get("/invoices/{invoice_id}", deprecated=True)
async def get_invoice(invoice_id: int, *, expand: bool = False, **kw):
    """Return one invoice."""
    return svc.load(f"invoice:{invoice_id}:detail", raw=r"\\d+")


# Service for invoices
@dataclass
class InvoiceService(BaseService, metaclass=Meta):
    """Invoices, the old way."""

    ttl = 300

    @cached(ttl=300, key_prefix="invoice:stats")
    def stats(self):
        self.session.query(Invoice).filter(x).all()
        sql = "UPDATE invoices SET paid = 1"

    def downgrade(self):
        pass

    def create_app(self):
        app = FastAPI()

        @app.get("/health")
        def health():
            return "ok"

        app.include_router(router, prefix="/api")
        return app
`;

describe('Python facts (tree-sitter)', () => {
  let f: Awaited<ReturnType<typeof extractPython>>;
  before(async () => (f = await extractPython(SOURCE)));

  it('reads the module docstring and comments', () => {
    assert.match(f.docstring!, /^Invoicing\.\n\nDEPRECATED: use money_service instead\.\n$/);
    assert.ok(f.comments.some((c) => c.text === 'leading comment' && c.range.start.line === 4));
    assert.deepEqual(f.errors, []);
  });

  it('reads imports: plain, aliased, relative, and inside try blocks', () => {
    const imp = f.imports.map((i) => [i.kind, i.level, i.module, i.alias ?? '', i.names.map((n) => n.name + (n.alias ? ` as ${n.alias}` : '')).join(',')]);
    assert.deepEqual(imp, [
      ['from', 0, '__future__', '', 'annotations'],
      ['import', 0, 'warnings', '', ''],
      ['import', 0, 'os.path', 'osp', ''],
      ['from', 2, 'invoicing', '', 'service as svc,other'],
      ['from', 1, '', '', 'sibling'],
      ['from', 0, 'typing', '', 'Union'],
      ['import', 0, 'redis', '', ''],
    ]);
  });

  it('reads annotated, multi-line, tuple and conditional assignments', () => {
    const byName = new Map(f.assignments.map((a) => [a.targets.join(','), a]));
    assert.equal(strValue(byName.get('revision')!.value), '1975ea83b712');
    const down = byName.get('down_revision')!;
    assert.equal(down.annotation, 'Union[str, None]');
    assert.deepEqual(strList(down.value), ['ae1027a6acf', '27c6a30d7c24']);
    assert.equal(down.range.start.line, 14);
    assert.equal(down.range.end.line, 17);
    const labels = byName.get('branch_labels')!.value!;
    assert.equal(labels.kind, 'seq');
    assert.deepEqual(labels.kind === 'seq' && labels.items.map((i) => i.kind === 'ref' && i.path), ['cli.EXPAND_BRANCH']);
    assert.equal(byName.get('depends_on')!.value!.kind, 'none');
    assert.ok(byName.has('a,b'));
    assert.ok(byName.has('redis'), 'assignment inside an except clause');
    const router = byName.get('router')!.value!;
    assert.equal(router.kind, 'call');
    if (router.kind === 'call') {
      assert.equal(router.callee, 'APIRouter');
      assert.equal(strValue(keyword(router.args, 'prefix')), '/billing');
    }
  });

  it('reads module-level calls', () => {
    const warn = f.calls.find((c) => c.callee === 'warnings.warn')!;
    assert.equal(positional(warn.args, 1)?.kind, 'ref');
    assert.equal(warn.range.start.line, 11);
  });

  it('reads functions with decorators, params, docstrings and f-string templates', () => {
    const fn = f.functions.find((x) => x.name === 'get_invoice')!;
    assert.equal(fn.async, true);
    assert.equal(f.classes[0].methods.find((m) => m.name === 'stats')!.async, false);
    assert.deepEqual(fn.params, ['invoice_id', 'expand', 'kw']);
    assert.equal(fn.docstring, 'Return one invoice.');
    assert.equal(fn.decorators[0].name, 'router.get');
    assert.equal(strValue(positional(fn.decorators[0].args, 0)), '/invoices/{invoice_id}');
    const dep = keyword(fn.decorators[0].args, 'deprecated');
    assert.equal(dep?.kind === 'bool' && dep.value, true);
    const call = fn.calls[0];
    assert.equal(call.callee, 'svc.load');
    const key = positional(call.args, 0);
    assert.deepEqual(key?.kind === 'str' && [key.value, key.template], ['invoice:{invoice_id}:detail', true]);
    assert.equal(strValue(keyword(call.args, 'raw')), '\\d+');
    assert.equal(fn.range.start.line, 29, 'the range starts at the decorator');
  });

  it('reads classes: bases, decorators, leading comments, methods, bodies', () => {
    const cls = f.classes[0];
    assert.equal(cls.name, 'InvoiceService');
    assert.deepEqual(cls.bases, ['BaseService']);
    assert.deepEqual(cls.decorators.map((d) => d.name), ['dataclass']);
    assert.deepEqual(cls.leadingComments, ['Service for invoices']);
    assert.equal(cls.docstring, 'Invoices, the old way.');
    assert.deepEqual(cls.assignments.map((a) => a.targets[0]), ['ttl']);
    const [stats, down, factory] = cls.methods;
    assert.equal(stats.decorators[0].name, 'cached');
    assert.deepEqual(stats.calls.map((c) => c.callee), ['self.session.query().filter().all', 'self.session.query().filter', 'self.session.query']);
    assert.deepEqual(stats.strings.map((s) => s.value), ['UPDATE invoices SET paid = 1']);
    assert.equal(stats.emptyBody, false);
    assert.equal(down.emptyBody, true);
    assert.deepEqual(factory.nested.map((n) => [n.name, n.decorators[0].name]), [['health', 'app.get']]);
    assert.ok(factory.calls.some((c) => c.callee === 'app.include_router'));
    assert.ok(!factory.calls.some((c) => c.callee === 'app.get'), 'calls of nested defs stay in the nested def');
  });

  it('reports syntax errors without failing', async () => {
    const broken = await extractPython('def f(:\n    pass\nclass Ok:\n    pass\n');
    assert.ok(broken.errors.length > 0);
    assert.ok(broken.classes.some((c) => c.name === 'Ok'));
  });

  it('handles an empty file and a file of only comments', async () => {
    const empty = await extractPython('');
    assert.equal(empty.lineCount, 0);
    const comments = await extractPython('# a\n# b\n');
    assert.deepEqual(comments.leadingComments, ['a', 'b']);
  });
});
