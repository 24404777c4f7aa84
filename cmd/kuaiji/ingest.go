package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/knowledge/extract"
)

const ingestUsage = "用法：kuaiji ingest [--prune] [--replace] [--dry-run] 目录...（支持 .md .txt .html .htm .pdf .docx）\n" +
	"      kuaiji ingest --remove 文档编号...（编号见 kuaiji docs）"

func runIngest(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("ingest", flag.ContinueOnError)
	flags.SetOutput(stderr)
	prune := flags.Bool("prune", false, "同时删除以前导入、但这次目录里已经没有的文档")
	remove := flags.Bool("remove", false, "按编号删除以前导入的文档（内置文档随之恢复）")
	replace := flags.Bool("replace", false, "允许用编号相同的文件替换内置文档（须注明不早于内置文本的审阅日期，地区须相同）")
	dryRun := flags.Bool("dry-run", false, "只列出将导入、替换和拒绝的文档，不修改索引")
	place := flags.String("jurisdiction", "", "这次导入的文件适用的地区（如 四川、深圳；全国性文件写 全国），优先于文件内推断的地区")
	title := flags.String("title", "", "文件标题（文件本身没有标题时使用）")
	if err := flags.Parse(args); err != nil {
		return exitCode(2)
	}
	dirs := flags.Args()
	if len(dirs) == 0 || (*prune && *remove) {
		fmt.Fprintln(stdout, ingestUsage)
		return exitCode(2)
	}
	if cfg.dataDir == "" {
		return fmt.Errorf("no index directory: set KUAIJI_DATA_DIR")
	}
	ix, err := openIndex(ctx, cfg, log)
	if err != nil {
		return err
	}
	if *remove {
		return removeDocs(ctx, ix, dirs, stdout)
	}
	placeCode := ""
	if *place != "" && *place != "全国" {
		j, ok := ix.Places().Resolve(*place)
		if !ok {
			fmt.Fprintf(stdout, "不认识地区“%s”：请写省、自治区、直辖市或计划单列市的名称，全国性文件写“全国”。\n", *place)
			return exitCode(2)
		}
		placeCode = j.Code
	}
	var docs []*knowledge.Document
	failed := 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(stderr, "%s：无法读取（%v）\n", p, err)
				failed++
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") && p != dir {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || knowledge.IsSidecar(p) {
				return nil
			}
			doc, err := knowledge.LoadFile(p, ix.Places())
			var limit *extract.LimitError
			if errors.As(err, &limit) {
				fmt.Fprintf(stderr, "%s：未导入（%s）\n", p, limit.Reason)
				failed++
				return nil
			}
			if err != nil {
				where := p
				if fm := (*knowledge.FrontMatterError)(nil); errors.As(err, &fm) {
					where = fmt.Sprintf("%s:%d", fm.Path, fm.Line) // file:line, as editors read it
				}
				fmt.Fprintf(stderr, "%s：未导入（%s）\n", where, ingestReason(p, err))
				log.Debug("ingest: file refused", "path", p, "err", err)
				failed++
				return nil
			}
			if len(doc.Blocks) == 0 {
				fmt.Fprintf(stderr, "%s：未导入（没有可读取的文字）\n", p)
				failed++
				return nil
			}
			if *place != "" {
				doc.Jurisdiction, doc.PlaceFrom = placeCode, ""
			}
			if *title != "" {
				doc.Title = *title
			}
			if *place == "" && knowledge.Unplaced(doc) {
				// Its passages would otherwise read as national rules.
				fmt.Fprintf(stderr, "%s：未导入（看不出适用的地区：请用 --jurisdiction 指定，全国性文件写 --jurisdiction 全国；或在 %s 中写明 jurisdiction）\n",
					p, filepath.Base(knowledge.Sidecar(p)))
				failed++
				return nil
			}
			docs = append(docs, doc)
			return nil
		})
		if err != nil {
			return fmt.Errorf("walk %s: %w", dir, err)
		}
	}
	docs, replaced, refused := ix.Vet(docs, knowledge.IngestOptions{Replace: *replace})
	for _, r := range refused {
		fmt.Fprintf(stderr, "%s：未导入（%s）\n", r.Path, r.Reason)
		failed++
	}
	for _, r := range replaced {
		fmt.Fprintln(stdout, describeReplacement(r))
	}
	for _, d := range docs {
		fmt.Fprintln(stdout, describePlacement(d, ix.Places()))
	}
	if *dryRun {
		fmt.Fprintf(stdout, "试运行：将导入 %d 个文件，%d 个文件未能导入；索引未修改。\n", len(docs), failed)
		if failed > 0 {
			return exitCode(1)
		}
		return nil
	}
	stats, err := ix.Ingest(ctx, docs, knowledge.IngestOptions{Replace: *replace})
	if err != nil {
		return fmt.Errorf("update index: %w", err)
	}
	fmt.Fprintf(stdout, "已导入 %d 个文件：新增 %d 段、更新 %d 段、删除 %d 段，%d 段未变化；索引共 %d 个文档、%d 段。\n",
		len(docs), stats.Added, stats.Updated, stats.Removed, stats.ReusedVectors, stats.Documents, stats.Chunks)
	if failed > 0 {
		if *prune {
			// A file that failed to load may be the new version of a document
			// in the index: pruning now would lose it.
			fmt.Fprintln(stdout, "有文件未能导入，本次没有清理旧文档；修正后请重新运行。")
		}
		fmt.Fprintf(stdout, "%d 个文件未能导入，原因见上方。\n", failed)
		return exitCode(1)
	}
	if *prune {
		var stale []string
		// Only what came from these folders: a notice ingested from
		// another folder is not stale because it is not here.
		for _, d := range ix.Documents() {
			if d.Ingested && underAny(d.Path, dirs) && !slices.ContainsFunc(docs, func(x *knowledge.Document) bool { return x.ID == d.ID }) {
				stale = append(stale, d.ID)
			}
		}
		if len(stale) == 0 {
			fmt.Fprintln(stdout, "没有需要清理的旧文档。")
			return nil
		}
		return removeDocs(ctx, ix, stale, stdout)
	}
	return nil
}

// ingestReason says in Chinese why a file could not be read; the error
// itself goes to the debug log.
func ingestReason(p string, err error) string {
	var fm *knowledge.FrontMatterError
	switch ext := strings.ToLower(filepath.Ext(p)); {
	case errors.As(err, &fm):
		return "文件开头的说明（front matter）有误：" + strings.TrimPrefix(fm.Msg, "front matter: ")
	case errors.Is(err, extract.ErrUnsupported):
		return "不支持这种文件格式；可以导入 .md .txt .html .htm .pdf .docx"
	case errors.Is(err, zip.ErrFormat) || ext == ".docx":
		return "不是有效的 DOCX 文件：文件已损坏，或不是 Word 文档（旧的 .doc 请另存为 .docx）"
	case ext == ".pdf":
		return "无法读取这个 PDF 的文字：文件可能已损坏、加密，或是没有文字层的扫描件"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	}
	return "无法读取：" + err.Error()
}

// underAny reports whether the file p lies in one of dirs (paths as given
// then and now are compared absolute, from the working directory).
func underAny(p string, dirs []string) bool {
	ap, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	for _, d := range dirs {
		ad, err := filepath.Abs(d)
		if err == nil && strings.HasPrefix(ap, strings.TrimSuffix(ad, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// describePlacement tells the operator which title and place a file was
// read with, and how sure that is: a place read from the text, or none at
// all, is a warning with the way to say it.
func describePlacement(d *knowledge.Document, places *knowledge.Jurisdictions) string {
	name := filepath.Base(d.Path)
	fix := fmt.Sprintf("如不对，请用 --jurisdiction 指定，或在 %s 中写明 jurisdiction", filepath.Base(knowledge.Sidecar(d.Path)))
	place := "全国"
	if j, ok := places.ByCode(d.Jurisdiction); ok {
		place = j.Name
	}
	switch {
	case d.PlaceFrom == knowledge.PlaceFromText:
		return fmt.Sprintf("  %s：《%s》，地区：%s（从正文推断）⚠️ 请核对，%s。", name, d.Title, place, fix)
	case d.PlaceFrom == knowledge.PlaceFromTitle:
		return fmt.Sprintf("  %s：《%s》，地区：%s（从标题或文件名得出）", name, d.Title, place)
	}
	return fmt.Sprintf("  %s：《%s》，地区：%s", name, d.Title, place)
}

// describeReplacement says what replacing a built-in document changes.
func describeReplacement(r knowledge.Replacement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "替换内置文档 %s《%s》", r.ID, r.OldTitle)
	if r.NewTitle != r.OldTitle {
		fmt.Fprintf(&b, "，标题改为《%s》", r.NewTitle)
	}
	if r.NewNumber != r.OldNumber {
		fmt.Fprintf(&b, "，文号 %s → %s", orNone(r.OldNumber), orNone(r.NewNumber))
	}
	fmt.Fprintf(&b, "：审阅日期 %s → %s；保留 %d 段、新增 %d 段、删除 %d 段。", orNone(r.OldReviewed), orNone(r.NewReviewed), r.Kept, r.Added, r.Removed)
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "（无）"
	}
	return s
}

// removeDocs drops ingested documents by id and says what is left.
func removeDocs(ctx context.Context, ix *knowledge.Index, ids []string, stdout io.Writer) error {
	stats, err := ix.Remove(ctx, ids)
	if errors.Is(err, knowledge.ErrNotIngested) {
		var missing []string
		for _, id := range ids {
			if !slices.ContainsFunc(ix.Documents(), func(d knowledge.DocInfo) bool { return d.ID == id && d.Ingested }) {
				missing = append(missing, id)
			}
		}
		fmt.Fprintf(stdout, "无法删除：没有编号为 %s 的导入文档，什么都没有删除。只能删除用 ingest 导入的文档，编号见 kuaiji docs --ingested。\n", strings.Join(missing, "、"))
		return exitCode(1)
	}
	if err != nil {
		return fmt.Errorf("update index: %w", err)
	}
	fmt.Fprintf(stdout, "已删除 %d 个导入的文档（%s）；索引共 %d 个文档、%d 段。\n",
		len(ids), strings.Join(ids, "、"), stats.Documents, stats.Chunks)
	return nil
}

// runDocs lists the documents answers can cite.
func runDocs(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("docs", flag.ContinueOnError)
	flags.SetOutput(stderr)
	asJSON := flags.Bool("json", false, "输出 JSON")
	onlyIngested := flags.Bool("ingested", false, "只列出用 ingest 导入的文档")
	if err := flags.Parse(args); err != nil {
		return exitCode(2)
	}
	ix, err := openIndex(ctx, cfg, log)
	if err != nil {
		return err
	}
	list := ix.Documents()
	if *onlyIngested {
		list = slices.DeleteFunc(list, func(d knowledge.DocInfo) bool { return !d.Ingested })
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(list)
	}
	rows := [][]string{{"编号", "来源", "地区", "状态", "审阅日期", "段数", "标题"}}
	for _, d := range list {
		from, place := "内置", d.Jurisdiction
		if d.Ingested {
			from = "导入"
		}
		if place == "" {
			place = "全国"
		}
		rows = append(rows, []string{d.ID, from, place, statusLabel(d.Status), d.Reviewed, strconv.Itoa(d.Chunks), d.Title})
	}
	writeColumns(stdout, rows)
	fmt.Fprintf(stdout, "共 %d 个文档。\n", len(list))
	return nil
}

func statusLabel(s string) string {
	switch s {
	case knowledge.StatusSuperseded:
		return "已被取代"
	case knowledge.StatusInForce, "":
		return "现行"
	}
	return s
}

// writeColumns prints rows as aligned columns. text/tabwriter counts runes,
// which leaves Chinese (two columns wide on a terminal) misaligned.
func writeColumns(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i < len(r)-1 {
				c = runewidth.FillRight(c, widths[i]+2)
			}
			b.WriteString(c)
		}
		fmt.Fprintln(w, b.String())
	}
}
