/*
 * Guest helper: plays the NAU7802's self-updating status bits on top of i2c-stub, which is
 * only a register file. Like the chip, it sets PU_CTRL.PUR (0x08) once PUD (0x02) is on,
 * PU_CTRL.CR (0x20) while CS (0x10) runs conversions, and clears CTRL2.CALS (0x04) once an
 * offset calibration has been started. It writes only when a bit is out of step, so it does
 * not race the driver's own read-modify-writes.
 *
 * Why C and not a busybox loop of i2cget/i2cset: under TCG each exec costs about 60 ms, and
 * the driver (rightly, for the real part's ~1 ms) gives PUR only 10 ms after PUD|PUA.
 * Here one poll is two ioctls, repeated every 200 µs.
 *
 * Built statically on the host: gcc -static -O2 -o nau7802-status nau7802-status.c
 * Usage: nau7802-status /dev/i2c-0 0x2a
 */
#include <fcntl.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int smbus_byte(int fd, char rw, unsigned char reg, union i2c_smbus_data *data)
{
	struct i2c_smbus_ioctl_data args = {
		.read_write = rw, .command = reg, .size = I2C_SMBUS_BYTE_DATA, .data = data,
	};
	return ioctl(fd, I2C_SMBUS, &args);
}

static int read_reg(int fd, unsigned char reg)
{
	union i2c_smbus_data data;
	return smbus_byte(fd, I2C_SMBUS_READ, reg, &data) < 0 ? -1 : data.byte;
}

static void write_reg(int fd, unsigned char reg, unsigned char value)
{
	union i2c_smbus_data data = { .byte = value };
	smbus_byte(fd, I2C_SMBUS_WRITE, reg, &data);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s /dev/i2c-N ADDRESS\n", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDWR);
	if (fd < 0 || ioctl(fd, I2C_SLAVE, strtol(argv[2], NULL, 0)) < 0) {
		perror(argv[1]);
		return 1;
	}
	const struct timespec pause = { .tv_sec = 0, .tv_nsec = 200000 };
	for (;;) {
		int pu = read_reg(fd, 0x00);
		if (pu >= 0) {
			int want = pu;
			if (pu & 0x02)
				want |= 0x08;
			if (pu & 0x10)
				want |= 0x20;
			if (want != pu)
				write_reg(fd, 0x00, want);
		}
		int ctrl2 = read_reg(fd, 0x02);
		if (ctrl2 >= 0 && (ctrl2 & 0x04))
			write_reg(fd, 0x02, ctrl2 & ~0x04);
		nanosleep(&pause, NULL);
	}
}
