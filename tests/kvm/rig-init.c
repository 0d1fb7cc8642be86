// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /init of the rig's initramfs (static arm64): mounts devtmpfs/proc/sys,
 * attaches the console, runs /probe (its ARMCPU-PROBE block), then the
 * commands of /rig.cmds when present, and powers off:
 *
 *   run NAME ARG...     ARMCPU-RUN-BEGIN NAME / output (stdout+stderr) /
 *                       ARMCPU-RUN-END NAME rc=N
 *   cat PATH            ARMCPU-FILE-BEGIN PATH / contents / ARMCPU-FILE-END PATH
 *
 * Arguments are separated by spaces (specs have none). Ends with
 * ARMCPU-RIG-END.
 * Build: aarch64-linux-gnu-gcc -static -O2 -std=c11 -Wall -Wextra -Werror
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char **argv)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(1, 2);
		execv(argv[0], argv);
		printf("rig-init: cannot run %s\n", argv[0]);
		_exit(127);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void)
{
	if (getpid() == 1) {
		mkdir("/dev", 0755);
		mkdir("/proc", 0555);
		mkdir("/sys", 0555);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		mount("proc", "/proc", "proc", 0, NULL);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
		if (fcntl(1, F_GETFD) < 0) {
			int fd = open("/dev/console", O_RDWR | O_NOCTTY);
			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
				if (fd > 2)
					close(fd);
			}
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("/tmp", 01777);
	char *probe[] = {"/probe", NULL};
	run(probe);

	FILE *cmds = fopen("/rig.cmds", "r");
	char line[8192];
	while (cmds && fgets(line, sizeof line, cmds)) {
		line[strcspn(line, "\r\n")] = 0;
		char *argv[64];
		int argc = 0;
		for (char *t = strtok(line, " "); t && argc < 63; t = strtok(NULL, " "))
			argv[argc++] = t;
		argv[argc] = NULL;
		if (argc >= 3 && !strcmp(argv[0], "run")) {
			printf("ARMCPU-RUN-BEGIN %s\n", argv[1]);
			int rc = run(argv + 2);
			printf("ARMCPU-RUN-END %s rc=%d\n", argv[1], rc);
		} else if (argc == 2 && !strcmp(argv[0], "cat")) {
			FILE *f = fopen(argv[1], "r");
			printf("ARMCPU-FILE-BEGIN %s\n", argv[1]);
			char buf[4096];
			size_t n;
			while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
				fwrite(buf, 1, n, stdout);
			if (f)
				fclose(f);
			printf("\nARMCPU-FILE-END %s%s\n", argv[1], f ? "" : " missing");
		} else if (argc) {
			printf("rig-init: bad line '%s'\n", argv[0]);
		}
	}
	if (cmds)
		fclose(cmds);
	printf("ARMCPU-RIG-END\n");
	fflush(stdout);
	sync();
	if (getpid() == 1)
		reboot(RB_POWER_OFF);
	return 0;
}
