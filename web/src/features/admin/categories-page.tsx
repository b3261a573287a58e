import { type FormEvent, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import type { Category } from '../../api/types.ts'
import { type CategoryNode, buildCategoryTree, categoryName, descendantIds, flattenCategoryTree } from '../../components/portal-category-tree.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem, localProblem } from '../../components/portal-form.tsx'
import { useLoad } from '../../components/use-load.ts'
import { ConfirmAction, EditorPanel, Notice } from './admin-ui.tsx'
import { ListProblem } from './users-page.tsx'

type Editing = { readonly mode: 'new'; readonly parentId: string | null } | { readonly mode: 'edit'; readonly category: Category }

/** The category tree customers and agents file requests under: add, rename, move, delete. */
export function CategoriesPage() {
  const { t, i18n } = useTranslation('admin')
  const { t: tp } = useTranslation('portal')
  const list = useLoad(() => api.get<{ items: Category[] }>('/categories'), [])
  const tree = useMemo(() => buildCategoryTree(list.data?.items ?? [], i18n.language), [list.data, i18n.language])
  const [editing, setEditing] = useState<Editing | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const open = (target: Editing) => {
    setNotice('')
    setProblem(null)
    setEditing(target)
  }

  const nameOf = (category: Category | undefined) => (category === undefined ? '' : categoryName(category, i18n.language))

  async function remove(category: Category) {
    const name = categoryName(category, i18n.language)
    setNotice('')
    setProblem(null)
    try {
      await api.delete(`/categories/${category.id}`)
      setNotice(t('categories.deleted', { name }))
      if (editing?.mode === 'edit' && editing.category.id === category.id) setEditing(null)
      list.reload()
    } catch (caught) {
      const described = describeProblem(caught, tp)
      setProblem(described.code === 'CONFLICT' ? { ...described, message: t('categories.inUse', { name }), fields: {} } : described)
    }
  }

  const panelTitle =
    editing === null
      ? ''
      : editing.mode === 'edit'
        ? t('categories.edit', { name: categoryName(editing.category, i18n.language) })
        : editing.parentId === null
          ? t('categories.new')
          : t('categories.newChild', { name: nameOf(list.data?.items.find((item) => item.id === editing.parentId)) })

  return (
    <section className="stack" aria-labelledby="admin-categories-title">
      <h2 id="admin-categories-title">{t('categories.title')}</h2>
      <p className="muted ad-intro">{t('categories.intro')}</p>
      <div className="ad-toolbar">
        <button type="button" className="button-primary" onClick={() => open({ mode: 'new', parentId: null })} data-testid="category-new">
          {t('categories.new')}
        </button>
      </div>
      <Notice text={notice} />
      <ProblemAlert problem={problem} showDetail />
      {editing !== null && (
        <EditorPanel
          key={editing.mode === 'edit' ? editing.category.id : `new-${editing.parentId ?? 'root'}`}
          title={panelTitle}
          onClose={() => setEditing(null)}
          testId="category-panel"
        >
          <CategoryForm
            editing={editing}
            tree={tree}
            onSaved={(saved) => {
              setNotice(editing.mode === 'new' ? t('categories.created', { name: categoryName(saved, i18n.language) }) : t('categories.saved', { name: categoryName(saved, i18n.language) }))
              setProblem(null)
              setEditing(null)
              list.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={list.error} />
      {list.data !== undefined && tree.length === 0 ? (
        <p className="ad-empty">{t('categories.none')}</p>
      ) : (
        <div className="card ad-tree-card">
          <CategoryList nodes={tree} label={t('categories.treeLabel')} onEdit={(category) => open({ mode: 'edit', category })} onAddChild={(parentId) => open({ mode: 'new', parentId })} onDelete={remove} />
        </div>
      )}
    </section>
  )
}

function CategoryList({
  nodes,
  label,
  onEdit,
  onAddChild,
  onDelete,
}: {
  nodes: readonly CategoryNode[]
  label?: string
  onEdit: (category: Category) => void
  onAddChild: (parentId: string) => void
  onDelete: (category: Category) => void
}) {
  const { t, i18n } = useTranslation('admin')
  const zh = i18n.language.startsWith('zh')
  return (
    <ul className="ad-tree" aria-label={label} data-testid={label !== undefined ? 'category-tree' : undefined}>
      {nodes.map((node) => {
        const name = node.path[node.path.length - 1] ?? ''
        const other = zh ? node.category.nameEn : node.category.nameZh
        return (
          <li key={node.category.id} data-testid="category-node" data-category-id={node.category.id}>
            <div className="ad-tree-row">
              <span className="ad-tree-name">
                <strong>{name}</strong>{' '}
                <span className="muted" lang={zh ? 'en' : 'zh-CN'}>
                  {other}
                </span>
              </span>
              <span className="ad-row-actions">
                <button type="button" className="ad-small-button" onClick={() => onEdit(node.category)} aria-label={t('categories.editNamed', { name })} data-testid="category-edit">
                  {t('categories.editShort')}
                </button>
                <button type="button" className="ad-small-button" onClick={() => onAddChild(node.category.id)} aria-label={t('categories.addChildNamed', { name })} data-testid="category-add-child">
                  {t('categories.addChild')}
                </button>
                <ConfirmAction
                  label={t('ui.delete')}
                  confirmLabel={t('categories.confirmDelete')}
                  accessibleName={t('categories.deleteNamed', { name })}
                  testId="category-delete"
                  onConfirm={() => onDelete(node.category)}
                />
              </span>
            </div>
            {node.children.length > 0 && <CategoryList nodes={node.children} onEdit={onEdit} onAddChild={onAddChild} onDelete={onDelete} />}
          </li>
        )
      })}
    </ul>
  )
}

function CategoryForm({ editing, tree, onSaved, onCancel }: { editing: Editing; tree: readonly CategoryNode[]; onSaved: (category: Category) => void; onCancel: () => void }) {
  const { t } = useTranslation('admin')
  const { t: tp } = useTranslation('portal')
  const existing = editing.mode === 'edit' ? editing.category : null
  const [nameZh, setNameZh] = useState(existing?.nameZh ?? '')
  const [nameEn, setNameEn] = useState(existing?.nameEn ?? '')
  const [parentId, setParentId] = useState(existing !== null ? (existing.parentId ?? '') : editing.mode === 'new' ? (editing.parentId ?? '') : '')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const prefix = existing === null ? 'category-new' : `category-${existing.id}`
  // A category cannot move under itself or anything below it.
  const excluded = existing !== null ? descendantIds(tree, existing.id) : new Set<string>()
  const parents = flattenCategoryTree(tree).filter((node) => !excluded.has(node.category.id))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const missing: Record<string, string> = {}
    if (nameZh.trim() === '') missing.nameZh = tp('fieldError.blank')
    if (nameEn.trim() === '') missing.nameEn = tp('fieldError.blank')
    const local = localProblem(missing, tp)
    if (local !== null) {
      setProblem(local)
      return
    }
    setBusy(true)
    setProblem(null)
    const body = { nameZh: nameZh.trim(), nameEn: nameEn.trim(), parentId: parentId === '' ? null : parentId }
    try {
      onSaved(existing === null ? await api.post<Category>('/categories', body) : await api.patch<Category>(`/categories/${existing.id}`, body))
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels = {
    nameZh: { label: t('fields.nameZh'), id: `${prefix}-zh` },
    nameEn: { label: t('fields.nameEn'), id: `${prefix}-en` },
    parentId: { label: t('fields.parent'), id: `${prefix}-parent` },
  }
  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="category-form">
      <ProblemAlert problem={problem} labels={labels} showDetail />
      <div className="ad-form-grid">
        <Field id={labels.nameZh.id} label={labels.nameZh.label} field="nameZh" problem={problem}>
          <input {...controlProps(labels.nameZh.id, problem, 'nameZh')} lang="zh-CN" value={nameZh} onChange={(event) => setNameZh(event.target.value)} maxLength={100} autoComplete="off" data-testid="category-name-zh" />
        </Field>
        <Field id={labels.nameEn.id} label={labels.nameEn.label} field="nameEn" problem={problem}>
          <input {...controlProps(labels.nameEn.id, problem, 'nameEn')} lang="en" value={nameEn} onChange={(event) => setNameEn(event.target.value)} maxLength={100} autoComplete="off" data-testid="category-name-en" />
        </Field>
        <Field id={labels.parentId.id} label={labels.parentId.label} field="parentId" problem={problem} hint={existing !== null ? t('categories.moveHint') : undefined}>
          <select {...controlProps(labels.parentId.id, problem, 'parentId', existing !== null)} value={parentId} onChange={(event) => setParentId(event.target.value)} data-testid="category-parent">
            <option value="">{t('categories.topLevel')}</option>
            {parents.map((node) => (
              <option key={node.category.id} value={node.category.id}>
                {node.path.join(' › ')}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="category-save">
          {existing === null ? t('ui.create') : t('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ui.cancel')}
        </button>
      </div>
    </form>
  )
}
